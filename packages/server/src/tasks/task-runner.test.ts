// A task whose steps fail on the machine (disk full, a killed ffmpeg): retried with backoff, then failed with a
// clear message and not billed; when the disk was full even for the database, it ends soon after space returns.
// Time is vitest's fake clock: the worker pool and the runner run on it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Engine, Step } from '../engines/engine.ts';
import { WorkerPool } from '../queue/worker-pool.ts';
import { deductionsPage } from '../store/deductions.ts';
import { openFailingDb, type FailingDb } from '../store/failing-db.ts';
import { allJobs } from '../store/jobs.ts';
import { addPack, unitsLeft } from '../store/resource-packs.ts';
import { TaskStore, type TaskRow } from '../store/tasks.ts';
import { TaskRunner } from './task-runner.ts';
import type { UrlMaker } from './serialize.ts';

let dir: string;
let store: FailingDb;
let tasks: TaskStore;
let pool: WorkerPool | undefined;
/** The machine's state as the fake engine sees it. */
let diskFull = false;
let renders = 0;

const fullDisk = () => Object.assign(new Error("ENOSPC: no space left on device, write '/data/media/1/video.mp4'"), { code: 'ENOSPC' });

const engine: Engine = {
  name: 'fake',
  admit: async () => null,
  step: async (task): Promise<Step> => {
    if (task.status === 'submitted') return { kind: 'start' };
    if (task.result_json) return { kind: 'succeed' };
    renders++;
    if (diskFull) throw fullDisk();
    return { kind: 'store', result: {} as any };
  },
};

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-runner-'));
  store = await openFailingDb(dir);
  tasks = new TaskStore(store.db);
  diskFull = false;
  renders = 0;
  await addPack(store.db, 'tenant-1', { type: 'video', units: 100, name: 'video pack', validMs: 86_400_000 });
});
afterEach(async () => {
  await pool?.stop();
  vi.useRealTimers();
  await store.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function createTask(status: 'submitted' | 'processing'): Promise<string> {
  const now = Date.now();
  const row: TaskRow = {
    id: '100', tenant_id: 'tenant-1', family: 'text2video', external_task_id: null, status, status_msg: '', model: 'kling-v1',
    pack: 'video', slots: 1, units: 1, engine: 'fake', request_json: '{"prompt":"x"}', result_json: null, callback_url: null,
    watermark: 0, engine_json: null, processing_at: status === 'processing' ? now : null, time_offset_ms: 0, created_at: now, updated_at: now,
  };
  const inserted = tasks.insertIfAdmitted(row, 10);
  await vi.advanceTimersByTimeAsync(0);
  await inserted;
  return row.id;
}

function startWorkers() {
  const urls = { storage: { taskDir: () => dir, resolve: () => undefined }, publicUrl: () => 'http://kiln.test' } as unknown as UrlMaker;
  const runner = new TaskRunner({
    store: tasks, engine, urls, fetchInput: async () => Buffer.alloc(0), fetchOutput: async () => undefined, onEnqueued: () => undefined, log: { error: () => undefined },
  });
  pool = new WorkerPool(store.db, { kind: 'advance', concurrency: 1, leaseMs: 10 * 60_000 }, (job, slot) => runner.advance(job, slot));
  pool.start();
}

const remaining = () => unitsLeft(store.db, 'tenant-1');
const deductions = () => deductionsPage(store.db, 'tenant-1', { start: 0, end: Number.MAX_SAFE_INTEGER, filters: {}, afterId: 0, limit: 100 });

describe('a render that keeps failing on the machine', () => {
  it('is tried a bounded number of times with backoff, then fails saying why, unbilled', async () => {
    const id = await createTask('processing');
    diskFull = true;
    startWorkers();
    await vi.advanceTimersByTimeAsync(60_000);
    const task = await tasks.byId(id);
    expect(task?.status).toBe('failed');
    expect(task?.status_msg).toBe('the server ran out of disk space while generating; the task was not billed');
    expect(renders).toBe(3);
    expect(await remaining()).toBe(100);
    expect(await deductions()).toEqual([]);
  });
});

describe('a disk full for the renderer and the database', () => {
  it('ends the task within a minute of space returning, not after the 10-minute lease', async () => {
    const id = await createTask('processing');
    diskFull = true;
    // The database cannot write task changes or remove jobs while the disk is full.
    store.failing = /^(update "tasks"|delete from "jobs")/i;
    startWorkers();
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect((await tasks.byId(id))?.status).toBe('processing');

    diskFull = false;
    store.failing = undefined;
    await vi.advanceTimersByTimeAsync(60_000);
    const task = await tasks.byId(id);
    expect(['succeed', 'failed']).toContain(task?.status);
    if (task?.status === 'failed') expect(await remaining()).toBe(100);
    expect(await allJobs(store.db)).toEqual([]);
  });
});
