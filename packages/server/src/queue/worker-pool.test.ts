// The worker pool under failure and load: a failed attempt frees its job at once, repeated errors are reported at a
// bounded rate, and a job waiting for bytes lends its slot to another tenant's job. Time is vitest's fake clock.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openFailingDb, type FailingDb } from '../store/failing-db.ts';
import type { Db } from '../store/open.ts';
import { WorkerPool, type JobOutcome, type JobSlot } from './worker-pool.ts';
import { allJobs, enqueueAdvance, findJob, type Job } from '../store/jobs.ts';

let db: Db;
let store: FailingDb;
let dir: string;
const pools: WorkerPool[] = [];

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-pool-'));
  store = await openFailingDb(dir);
  db = store.db;
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
  vi.useRealTimers();
  await db.destroy().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function addJob(tenant: string, task: string) {
  return enqueueAdvance(db, { taskId: task, tenantId: tenant, now: Date.now() });
}

function startPool(handle: (job: Job, slot: JobSlot) => Promise<JobOutcome>, extra: Partial<ConstructorParameters<typeof WorkerPool>[1]> = {}) {
  const pool = new WorkerPool(db, { kind: 'advance', concurrency: 1, leaseMs: 10 * 60_000, ...extra }, handle);
  pools.push(pool);
  pool.start();
  return pool;
}

const row = (id: number) => findJob(db, id);

describe('a step that failed on the machine', () => {
  it('ends its lease at once and is tried again after a backoff, not after the 10-minute lease', async () => {
    const id = await addJob('t', 'task-1');
    let calls = 0;
    const errors: unknown[] = [];
    startPool(async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return { done: true };
    }, { onError: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toBe(1);
    const failed = await row(id);
    expect(failed?.locked_until).toBeNull();
    expect(failed?.last_error).toMatch(/no space left/);
    expect(failed!.run_at - Date.now()).toBeLessThanOrEqual(1_000);
    expect(errors).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1_500);
    expect(calls).toBe(2);
    expect(await row(id)).toBeUndefined();
  });

  it('is released once the database takes writes again, when even the release could not be written', async () => {
    const id = await addJob('t', 'task-1');
    // Releasing the job (the write after a failed attempt) fails while the disk is full.
    store.failing = /^update "jobs" set "run_at"/i;
    let calls = 0;
    startPool(async () => {
      calls++;
      if (calls === 1) throw new Error('ffmpeg was killed');
      return { done: true };
    });
    await vi.advanceTimersByTimeAsync(10);
    expect((await row(id))?.locked_until).not.toBeNull();
    store.failing = undefined;
    await vi.advanceTimersByTimeAsync(300);
    expect((await row(id))?.locked_until).toBeNull();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toBe(2);
    expect(await row(id)).toBeUndefined();
  });
});

describe('repeated identical errors', () => {
  it('are reported once per 30 s with the number of repeats left out, not at every 250 ms poll', async () => {
    const reports: number[] = [];
    store.failing = /./;
    startPool(async () => ({ done: true }), { onError: (_e, _job, suppressed) => reports.push(suppressed) });
    await vi.advanceTimersByTimeAsync(60_000);
    // Polls every 250 ms for 60 s: 240 failures, three reports (0 s, 30 s, 60 s).
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports.length).toBeLessThanOrEqual(3);
    expect(reports[0]).toBe(0);
    expect(reports[1]).toBeGreaterThan(100);
  });
});

describe('a job waiting for bytes', () => {
  it('lends its slot: another tenant\'s job runs while it waits, and it finishes once its bytes arrive', async () => {
    const slowId = await addJob('tenant-a', 'slow');
    await addJob('tenant-b', 'quick');
    let release!: () => void;
    const bytes = new Promise<void>((resolve) => (release = resolve));
    const finished: string[] = [];
    startPool(async (job, slot) => {
      if (job.task_id === 'slow') await slot.whileWaiting(() => bytes);
      finished.push(job.task_id);
      return { done: true };
    }, { concurrency: 1, waitingSlots: 2 });
    await vi.advanceTimersByTimeAsync(100);
    expect(finished).toEqual(['quick']);
    expect(await row(slowId)).toBeDefined();
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(finished).toEqual(['quick', 'slow']);
    expect(await row(slowId)).toBeUndefined();
  });

  it('takes its slot back before working again: waiting jobs never work beyond the concurrency', async () => {
    for (let i = 0; i < 4; i++) await addJob(`tenant-${i}`, `job-${i}`);
    let working = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    startPool(async (_job, slot) => {
      await slot.whileWaiting(() => new Promise<void>((resolve) => releases.push(resolve)));
      working++;
      most = Math.max(most, working);
      await new Promise((r) => setTimeout(r, 1_000));
      working--;
      return { done: true };
    }, { concurrency: 1, waitingSlots: 3 });
    await vi.advanceTimersByTimeAsync(100);
    expect(releases).toHaveLength(4);
    releases.forEach((r) => r());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(most).toBe(1);
    expect(await allJobs(db)).toEqual([]);
  });
});
