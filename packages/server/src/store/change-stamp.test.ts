// The embedded store's change stamp, which lets the server keep a key's lookup between requests: a write by this
// process changes it at once, a commit by another process (the CLI) within CROSS_PROCESS_CHECK_MS.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { changeStamp, CROSS_PROCESS_CHECK_MS, openSqliteStore, type Db } from './open.ts';

let db: Db | undefined;
let dir = '';
afterEach(async () => {
  await db?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('change stamp of the embedded store', () => {
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
});
