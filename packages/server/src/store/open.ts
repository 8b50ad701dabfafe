// Opens the embedded store: one SQLite file (WAL) under the data directory, migrated on open.

import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import { createRequire } from 'node:module';
import { CROSS_PROCESS_CHECK_MS, setChangeStamp } from './change-stamp.ts';
import { startCheckpointer } from './checkpointer.ts';
import { migrate } from './migrations.ts';
import { KilnSqliteDialect } from './sqlite-dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

const require = createRequire(import.meta.url);

export interface OpenOptions {
  /** Checkpoint the WAL from a worker thread (the server); short-lived tools leave it to SQLite. */
  backgroundCheckpoints?: boolean;
  /** The clock of the change stamp's cross-process check (tests move it). */
  now?: () => number;
}


export async function openSqliteStore(dataDir: string, options: OpenOptions = {}): Promise<Db> {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'kiln.db');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (kill -9); only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  let checkpointer: { stop: () => Promise<void> } | undefined;
  if (options.backgroundCheckpoints) {
    sqlite.pragma('wal_autocheckpoint = 20000');
    checkpointer = startCheckpointer(file, require.resolve('better-sqlite3'));
  }
  const db = new Kysely<Database>({ dialect: new KilnSqliteDialect(sqlite, withStatementCache(sqlite)) });
  // Closing the store also stops its checkpoint worker, wherever the store is closed.
  const destroy = db.destroy.bind(db);
  db.destroy = async () => {
    await checkpointer?.stop();
    await destroy();
  };
  await migrate(db);
  const totalChanges = sqlite.prepare('SELECT total_changes()').pluck();
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const now = options.now ?? Date.now;
  let version = dataVersion.get();
  let checkedAt = now();
  // Reading SQLite's data_version takes the file's read lock: every request doing so cost a sixth of a GET, hence
  // at most once per CROSS_PROCESS_CHECK_MS (see change-stamp.ts).
  setChangeStamp(db, () => {
    if (now() - checkedAt >= CROSS_PROCESS_CHECK_MS) {
      version = dataVersion.get();
      checkedAt = now();
    }
    return `${version}:${totalChanges.get()}`;
  });
  return db;
}

/**
 * Kysely prepares every query anew; preparing costs more than running a point query. The queries kiln makes are
 * a small fixed set of SQL texts (values are bound parameters), so prepared statements are kept by their text.
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver);
      return (source: string) => {
        let statement = cache.get(source);
        if (!statement) {
          statement = prepare(source);
          // A bound on the cache in case some caller builds SQL with varying text (e.g. IN lists).
          if (cache.size >= 500) cache.clear();
          cache.set(source, statement);
        }
        return statement;
      };
    },
  });
}
