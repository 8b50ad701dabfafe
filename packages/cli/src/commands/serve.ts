// `kiln serve`: the same server as `npm start`, with flags for the common settings.

import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the kiln server (SQLite and media under the data directory, simulator engine)')
    .option('-p, --port <port>', 'port to listen on (env PORT, default 8080)')
    .option('-d, --data-dir <dir>', 'data directory (env KILN_DATA_DIR, default ./.kiln)')
    .action(async (options: { port?: string; dataDir?: string }) => {
      if (options.port) process.env.PORT = options.port;
      if (options.dataDir) process.env.KILN_DATA_DIR = options.dataDir;
      await import('@kiln/server/main');
    });
}
