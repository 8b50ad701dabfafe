// The Store behaviour suite (store-cases.ts) against every adapter: the embedded SQLite file, and PostgreSQL on the
// machine's server (a fresh database per test, dropped after; the suite fails, never skips, when PostgreSQL is down).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore, type Db } from './open.ts';
import { openPostgresStore, postgresPool } from './postgres.ts';
import { createTestDatabase } from './postgres-test-db.ts';
import { runStoreCases } from './store-cases.ts';

// The embedded store serves one process (data-dir-lock.ts), through one connection: the suite's "other processes"
// are other users of that connection. (Two connections in one process cannot race on SQLite at all: better-sqlite3
// waits for a lock synchronously, so the connection holding it could never finish.)
runStoreCases('SQLite', {
  manyProcesses: false,
  async create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-store-cases-'));
    const opened: Db[] = [];
    return {
      async open() {
        if (!opened.length) opened.push(await openSqliteStore(dir));
        return opened[0];
      },
      async dispose() {
        await Promise.all(opened.map((db) => db.destroy()));
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

runStoreCases('PostgreSQL', {
  manyProcesses: true,
  async create() {
    const database = await createTestDatabase();
    const opened: Db[] = [];
    return {
      async open() {
        const db = await openPostgresStore(postgresPool(database.url, { poolSize: 5 }));
        opened.push(db);
        return db;
      },
      async dispose() {
        await Promise.all(opened.map((db) => db.destroy()));
        await database.drop();
      },
    };
  },
});
