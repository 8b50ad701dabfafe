// A running process keeps its worker number by renewing it; one that was frozen so long that another process claimed
// its number takes a new one at its next beat, and its task ids carry the new number from then on. Time is vitest's
// fake clock.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { openSqliteStore, type Db } from '../store/open.ts';
import { claimWorkerNumber, WORKER_HEARTBEAT_MS, WORKER_STALE_MS, workerNumbers } from '../store/workers.ts';
import { newTaskId } from './ids.ts';
import { holdWorkerNumber } from './worker-number.ts';

let dir: string;
let db: Db;
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-worker-number-'));
  db = await openSqliteStore(dir);
});
afterEach(async () => {
  vi.useRealTimers();
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The worker number inside a task id (bits 14–21). */
const workerOf = (id: string) => Number((BigInt(id) >> 14n) & 0xffn);

it('ids carry the number held; a number lost to another process is replaced at the next beat', async () => {
  const held = await holdWorkerNumber(db, (error) => { throw error; });
  const first = held.number();
  expect(workerOf(newTaskId())).toBe(first);

  await vi.advanceTimersByTimeAsync(3 * WORKER_HEARTBEAT_MS);
  const row = (await workerNumbers(db)).find((w) => w.number === first)!;
  // Renewed at each beat: the row is still ours and fresh.
  expect(row.owner).not.toBe('elsewhere:9:aa');
  expect(Date.now() - row.heartbeat_at).toBeLessThan(WORKER_HEARTBEAT_MS);

  // Another process took the number: it claimed when this one's last beat was stale (as after a long freeze).
  expect(await claimWorkerNumber(db, 'elsewhere:9:aa', row.heartbeat_at + WORKER_STALE_MS + 1)).toBe(first);
  await vi.advanceTimersByTimeAsync(WORKER_HEARTBEAT_MS);
  expect(held.number()).not.toBe(first);
  expect(workerOf(newTaskId())).toBe(held.number());
  const owners = await workerNumbers(db);
  expect(owners.find((o) => o.number === first)?.owner).toBe('elsewhere:9:aa');

  await held.stop();
  expect((await workerNumbers(db)).map((w) => w.number)).not.toContain(held.number());
});
