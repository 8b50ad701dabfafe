// `kiln migrate-store --from <data dir> --to postgres://… [--storage s3://…]`: moves an embedded install (tenants,
// keys, packs, the ledger, tasks, jobs, sessions, assets, settings — every table — and, with --storage, its media)
// into a scaled one. The data directory's server must be stopped (its lock is taken for the copy). Re-running
// resumes: rows and objects already copied are left alone. The media signing secret moves with the settings, so
// result URLs handed out before the move stay valid.

import path from 'node:path';
import { lockDataDir } from './store/data-dir-lock.ts';
import { copyStore, type CopyProgress, type TableCount } from './store/copy-store.ts';
import { openSqliteStore } from './store/open.ts';
import { openPostgresStore, postgresPool } from './store/postgres.ts';
import { mediaSigningSecret } from './store/settings.ts';
import { copyMedia, type MediaCopy } from './storage/copy-media.ts';
import { LocalStorage } from './storage/local-storage.ts';
import { S3Storage } from './storage/s3-storage.ts';
import type { S3StorageConfig } from './storage/s3-config.ts';

export { DataDirInUse } from './store/data-dir-lock.ts';
export { s3ConfigFromEnv } from './storage/s3-config.ts';

export interface MigrateStoreOptions {
  /** The data directory of the embedded install. */
  from: string;
  /** postgres://… of the target database (made by the operator; kiln migrates its schema). */
  to: string;
  /** The bucket to copy media into; media stays under the data directory when absent. */
  storage?: S3StorageConfig;
  onTable?: (progress: CopyProgress) => void;
  onMedia?: (done: number, total: number) => void;
}

export interface MigrateStoreResult {
  tables: TableCount[];
  media?: MediaCopy;
}

export async function migrateStore(options: MigrateStoreOptions): Promise<MigrateStoreResult> {
  const lock = lockDataDir(options.from);
  try {
    const source = await openSqliteStore(options.from);
    try {
      const target = await openPostgresStore(postgresPool(options.to, { poolSize: 2 }));
      try {
        const tables = await copyStore(source, target, options.onTable);
        if (!options.storage) return { tables };
        const secret = await mediaSigningSecret(source);
        const bucket = new S3Storage(options.storage, secret);
        try {
          const media = await copyMedia(new LocalStorage(path.join(options.from, 'media'), secret), bucket, options.onMedia);
          return { tables, media };
        } finally {
          bucket.close();
        }
      } finally {
        await target.destroy();
      }
    } finally {
      await source.destroy();
    }
  } finally {
    lock.release();
  }
}
