// `kiln serve`: the same server as `npm start`, with flags for the common settings.

import type { Command } from 'commander';
import { loadServer } from '../server-package.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the kiln server (SQLite and media under the data directory, or PostgreSQL with --database-url; simulator engine)')
    .option('-p, --port <port>', 'port to listen on (env PORT, default 8080)')
    .option('-d, --data-dir <dir>', 'data directory (env KILN_DATA_DIR, default ./.kiln)')
    .option('--role <role>', 'all (API and workers), api (no workers) or worker (workers, health and metrics only) (env KILN_ROLE, default all)')
    .option('--database-url <url>', 'postgres://… store shared by any number of processes (env KILN_DATABASE_URL; default: SQLite in the data directory)')
    .action(async (options: { port?: string; dataDir?: string; role?: string; databaseUrl?: string }) => {
      if (options.port) process.env.PORT = options.port;
      if (options.dataDir) process.env.KILN_DATA_DIR = options.dataDir;
      // Checked by the server's configuration, which names the variable and the values it takes.
      if (options.role) process.env.KILN_ROLE = options.role;
      if (options.databaseUrl) process.env.KILN_DATABASE_URL = options.databaseUrl;
      await loadServer('serve', () => import('@kiln/server/main'));
    });
}
