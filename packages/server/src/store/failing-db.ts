// For tests: an embedded store whose writes can be made to fail as a full disk makes them fail (SQLITE_FULL from
// SQLite itself), so code that must survive a database that cannot write is exercised without filling a disk.

import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import { migrate } from './migrations.ts';
import type { Db } from './open.ts';
import type { Database } from './schema.ts';
import { KilnSqliteDialect } from './sqlite-dialect.ts';

export interface FailingDb {
  db: Db;
  /** Statements whose SQL matches fail with SQLITE_FULL until set back to undefined. */
  failing: RegExp | undefined;
}

export async function openFailingDb(dataDir: string): Promise<FailingDb> {
  fs.mkdirSync(dataDir, { recursive: true });
  const sqlite = new SQLite(path.join(dataDir, 'kiln.db'));
  sqlite.pragma('journal_mode = WAL');
  const control: FailingDb = {
    db: undefined as unknown as Db,
    failing: undefined,
  };
  const handle = new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') {
        return (source: string) => {
          if (control.failing?.test(source)) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
          return target.prepare(source);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  control.db = new Kysely<Database>({ dialect: new KilnSqliteDialect(sqlite, handle) });
  await migrate(control.db);
  return control;
}
