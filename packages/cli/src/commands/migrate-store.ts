// `kiln migrate-store --from <data dir> --to postgres://… [--storage s3://…]`: moves an embedded install into a
// scaled one (PostgreSQL, and a bucket for media), shows progress on a terminal, and prints the counts it verified.
// Safe to run again after an interruption: what was copied is kept, the rest follows.

import type { Command } from 'commander';
import path from 'node:path';
import { loadServer } from '../server-package.ts';
import { StatusLine } from './progress.ts';

interface Options { from: string; to: string; storage?: string }

export function registerMigrateStore(program: Command): void {
  program
    .command('migrate-store')
    .description('copy an embedded install (its data directory) into PostgreSQL, and its media into a bucket; resumable')
    .requiredOption('--from <dir>', 'the data directory to copy (its server must be stopped)')
    .requiredOption('--to <url>', 'postgres://… of the target database (created beforehand; kiln makes its tables)')
    .option('--storage <url>', 's3://bucket/prefix to copy media into (credentials from KILN_S3_*, as for the server)')
    .action(async (options: Options) => {
      const server = await loadServer('migrate-store', () => import('@kiln/server/migrate-store'));
      const storage = options.storage ? server.s3ConfigFromEnv({ ...process.env, KILN_STORAGE_URL: options.storage }) : undefined;
      const status = new StatusLine();
      try {
        const result = await server.migrateStore({
          from: path.resolve(options.from),
          to: options.to,
          storage,
          onTable: (p) => status.draw(`copying ${p.table}: ${p.copied} of ${p.total} rows`),
          onMedia: (done, total) => status.draw(`copying media: ${done} of ${total} objects`),
        });
        status.stop();
        for (const t of result.tables) console.log(`${t.table}: ${t.source} rows, ${t.target} in the target`);
        if (result.media) {
          const { objects, sent, bytes } = result.media;
          console.log(`media: ${objects} objects in the bucket (${sent} sent now, ${(bytes / 1e6).toFixed(1)} MB)`);
        } else {
          console.log(`media: left in ${path.join(path.resolve(options.from), 'media')} (give --storage to copy it into a bucket)`);
        }
        console.log('Verified: every table and object of the source is in the target.');
      } catch (error) {
        status.stop();
        if (error instanceof server.DataDirInUse) throw new Error(`${error.message.split('. ')[0]}: stop it before migrating its store`);
        throw error;
      }
    });
}
