// `kiln backup FILE`: a consistent copy of the embedded store (SQLite's online backup) while the server runs.

import type { Command } from 'commander';
import path from 'node:path';
import { operatorApi } from './operator-store.ts';

export function registerBackup(program: Command): void {
  program
    .command('backup <file>')
    .description("copy the data directory's database (kiln.db) to a new file, safely while the server runs; copy media/ with rsync or tar")
    .option('-d, --data-dir <dir>', 'data directory (env KILN_DATA_DIR, default ./.kiln)')
    .action(async (file: string, options: { dataDir?: string }) => {
      if (process.env.KILN_DATABASE_URL) {
        throw new Error('KILN_DATABASE_URL is set: back up PostgreSQL with pg_dump; `kiln backup` copies the embedded SQLite store');
      }
      const api = await operatorApi('backup');
      const dataDir = path.resolve(options.dataDir ?? process.env.KILN_DATA_DIR ?? '.kiln');
      const showProgress = process.stderr.isTTY;
      const bytes = await api.backupSqliteStore(dataDir, path.resolve(file), ({ totalPages, remainingPages }) => {
        if (showProgress && totalPages) process.stderr.write(`\rbacking up: ${Math.round(100 * (1 - remainingPages / totalPages))}%`);
      });
      if (showProgress) process.stderr.write('\n');
      console.log(`Backed up ${path.join(dataDir, 'kiln.db')} to ${path.resolve(file)} (${(bytes / 1e6).toFixed(1)} MB).`);
    });
}
