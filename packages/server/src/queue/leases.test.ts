// Leases belong to their owner: a pool running a job renews its lease, so another pool (another process) on the
// same database never takes a job that is still running, however long it runs; a job whose owner stopped renewing
// (a killed or frozen process) is taken over once its lease runs out. A start frees at once the leases of this
// machine's dead processes. Time is vitest's fake clock.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allJobs, claimJob, enqueueAdvance, releaseLeasesOfDeadOwners } from '../store/jobs.ts';
import { openSqliteStore, type Db } from '../store/open.ts';
import { WorkerPool, type JobOutcome } from './worker-pool.ts';
import type { Job } from '../store/jobs.ts';

const LEASE_MS = 60_000;
let db: Db;
let dir: string;
const pools: WorkerPool[] = [];
const finishers: (() => void)[] = [];

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-leases-'));
  db = await openSqliteStore(dir);
});
afterEach(async () => {
  finishers.splice(0).forEach((finish) => finish());
  await Promise.all(pools.splice(0).map((p) => p.stop()));
  vi.useRealTimers();
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function addJob(task: string): Promise<number> {
  return enqueueAdvance(db, { taskId: task, tenantId: 't', now: Date.now() });
}

/** A pool whose jobs run until the test ends: it records which tasks it started. */
function longRunningPool(started: string[]): WorkerPool {
  const pool = new WorkerPool(db, { kind: 'advance', concurrency: 4, leaseMs: LEASE_MS }, (job: Job) => {
    started.push(job.task_id);
    return new Promise<JobOutcome>((resolve) => finishers.push(() => resolve({ done: true })));
  });
  pools.push(pool);
  pool.start();
  return pool;
}

describe('two worker pools on one database', () => {
  it('a live pool keeps its running job for far longer than the lease; the other pool never takes it', async () => {
    await addJob('long-render');
    const first: string[] = [];
    const second: string[] = [];
    longRunningPool(first);
    await vi.advanceTimersByTimeAsync(10);
    longRunningPool(second);
    await vi.advanceTimersByTimeAsync(10 * LEASE_MS);
    expect(first).toEqual(['long-render']);
    expect(second).toEqual([]);
  });

  it('a job whose owner stopped renewing is taken over once its lease ran out, not before', async () => {
    await addJob('orphan');
    // A pool of a process that died right after claiming: it never renews.
    const claimed = await claimJob(db, 'advance', { leaseMs: LEASE_MS, owner: 'other-host:4242:dead' });
    expect(claimed?.task_id).toBe('orphan');
    const second: string[] = [];
    longRunningPool(second);
    await vi.advanceTimersByTimeAsync(LEASE_MS - 1_000);
    expect(second).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(second).toEqual(['orphan']);
  });
});

describe('a pool whose lease was taken over while it was frozen', () => {
  it('writes nothing over the job the other pool now runs when its own run ends', async () => {
    const done = await addJob('done-late');
    const failed = await addJob('failed-late');
    const outcomes = new Map<string, JobOutcome>([['done-late', { done: true }], ['failed-late', { retryAt: Date.now(), error: 'late' }]]);
    const ends: (() => void)[] = [];
    const pool = new WorkerPool(db, { kind: 'advance', concurrency: 2, leaseMs: LEASE_MS }, (job: Job) =>
      new Promise<JobOutcome>((resolve) => {
        const end = () => resolve(outcomes.get(job.task_id)!);
        ends.push(end);
        finishers.push(end);
      }));
    pools.push(pool);
    pool.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(ends).toHaveLength(2);
    // Another process took both jobs over: it claimed them when their leases had run out (this pool stopped renewing
    // for longer than the lease).
    const takenAt = Date.now() + 4 * LEASE_MS;
    const takenUntil = takenAt + LEASE_MS;
    for (let i = 0; i < ends.length; i++) expect(await claimJob(db, 'advance', { leaseMs: LEASE_MS, owner: 'elsewhere:7:ff', now: takenAt })).toBeDefined();
    ends.forEach((end) => end());
    await vi.advanceTimersByTimeAsync(10);
    const rows = (await allJobs(db)).map((j) => ({ id: j.id, locked_by: j.locked_by, locked_until: j.locked_until }));
    expect(rows).toEqual([
      { id: done, locked_by: 'elsewhere:7:ff', locked_until: takenUntil },
      { id: failed, locked_by: 'elsewhere:7:ff', locked_until: takenUntil },
    ]);
  });
});

describe('a start', () => {
  it('frees the leases of this machine\'s dead processes and keeps those of live ones and other machines', async () => {
    const dead = await addJob('dead');
    const live = await addJob('live');
    const remote = await addJob('remote');
    const host = os.hostname();
    // Each is claimed in turn (oldest first) by its owner.
    const lease = async (id: number, owner: string) => expect((await claimJob(db, 'advance', { leaseMs: LEASE_MS, owner }))?.id).toBe(id);
    await lease(dead, `${host}:1001:aa`);
    await lease(live, `${host}:1002:bb`);
    await lease(remote, 'elsewhere:1001:cc');
    await releaseLeasesOfDeadOwners(db, (pid) => pid === 1002);
    const rows = await allJobs(db);
    expect(rows.map((r) => [r.task_id, r.locked_until === null])).toEqual([['dead', true], ['live', false], ['remote', false]]);
  });
});
