// Task ids stay unique across processes: each process's generator carries a worker number the database assigned,
// so two processes making ids in the same millisecond never make the same one; ids stay numeric and time-ordered.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Db } from '../store/open.ts';
import { claimWorkerNumber, renewWorkerNumber, WORKER_STALE_MS } from '../store/workers.ts';
import { TaskIdGenerator } from './ids.ts';

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-ids-'));
  db = await openSqliteStore(dir);
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('two processes making task ids', () => {
  it('never make the same id over 100k ids each in the same millisecond window; ids are 18–19 digits, ordered by time', async () => {
    const now = Date.UTC(2026, 11, 3, 12, 0, 0);
    const a = new TaskIdGenerator(await claimWorkerNumber(db, 'host:1:a', now));
    const b = new TaskIdGenerator(await claimWorkerNumber(db, 'host:2:b', now));
    const seen = new Set<string>();
    let previousA = 0n;
    for (let i = 0; i < 100_000; i++) {
      const idA = a.next(now);
      const idB = b.next(now);
      seen.add(idA).add(idB);
      expect(BigInt(idA)).toBeGreaterThan(previousA);
      previousA = BigInt(idA);
    }
    expect(seen.size).toBe(200_000);
    for (const id of [...seen].slice(0, 1000)) expect(id).toMatch(/^\d{18,19}$/);
    // A later millisecond orders after everything made before it, whichever process makes it.
    const later = BigInt(b.next(now + 1_000));
    expect([...seen].every((id) => BigInt(id) < later)).toBe(true);
  });
});

describe('worker numbers', () => {
  it('are distinct for live processes, and a number not renewed is claimed again', async () => {
    const now = 1_800_000_000_000;
    const first = await claimWorkerNumber(db, 'host:1:a', now);
    const second = await claimWorkerNumber(db, 'host:2:b', now);
    expect(second).not.toBe(first);
    expect(await renewWorkerNumber(db, second, 'host:2:b', now + WORKER_STALE_MS)).toBe(true);
    // The first process stopped renewing: after the stale time its number goes to the next process.
    const third = await claimWorkerNumber(db, 'host:3:c', now + WORKER_STALE_MS + 1);
    expect(third).toBe(first);
    expect(await renewWorkerNumber(db, first, 'host:1:a', now + WORKER_STALE_MS + 2)).toBe(false);
  });
});
