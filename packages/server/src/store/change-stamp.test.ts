// The stores' change stamps, which let the server keep a key's lookup between requests: a write by this process
// changes them at once; a commit by another process (the CLI, another API process) within CROSS_PROCESS_CHECK_MS on
// the embedded store, within SHARED_STORE_CHECK_MS on PostgreSQL.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { changeStamp, CROSS_PROCESS_CHECK_MS, SHARED_STORE_CHECK_MS } from './change-stamp.ts';
import { openSqliteStore, type Db } from './open.ts';
import { openPostgresStore, postgresPool } from './postgres.ts';
import { createTestDatabase } from './postgres-test-db.ts';

let db: Db | undefined;
let dir = '';
let dropDatabase: (() => Promise<void>) | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await dropDatabase?.();
  dropDatabase = undefined;
});

describe('change stamps', () => {
  it('changes at once on a write by this process, and within the window on a commit by another', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-stamp-'));
    let clock = 1_000_000;
    db = await openSqliteStore(dir, { now: () => clock });
    const stamp = changeStamp(db)!;
    const first = stamp();
    expect(stamp()).toBe(first);

    await db.insertInto('settings').values({ key: 'a', value: '1' }).execute();
    const afterOwnWrite = stamp();
    expect(afterOwnWrite).not.toBe(first);

    const other = new SQLite(path.join(dir, 'kiln.db'));
    other.prepare("INSERT INTO settings (key, value) VALUES ('b', '2')").run();
    other.close();
    clock += CROSS_PROCESS_CHECK_MS - 1;
    expect(stamp()).toBe(afterOwnWrite);
    clock += 1;
    expect(stamp()).not.toBe(afterOwnWrite);
  });

  it('changes at once on a write by this process on PostgreSQL, and with the window for the others\' writes', async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    let clock = 5_000_000;
    db = await openPostgresStore(postgresPool(database.url, { poolSize: 2 }), { now: () => clock });
    const stamp = changeStamp(db)!;
    const first = stamp();
    await db.selectFrom('settings').selectAll().execute();
    expect(stamp()).toBe(first);

    await db.insertInto('settings').values({ key: 'a', value: '1' }).execute();
    const afterOwnWrite = stamp();
    expect(afterOwnWrite).not.toBe(first);

    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    await other.query("INSERT INTO settings (key, value) VALUES ('b', '2')");
    await other.end();
    clock += SHARED_STORE_CHECK_MS - 1;
    expect(stamp()).toBe(afterOwnWrite);
    clock += 1;
    expect(stamp()).not.toBe(afterOwnWrite);
  });
});
