// Task writes that must hold when several workers or processes share one database: one create failing in a
// group-commit batch fails only itself and names its own external_task_id; a worker holding a stale task row stores
// no result over the one another worker stored.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine, Step } from '../engines/engine.ts';
import { TaskRunner } from '../tasks/task-runner.ts';
import type { UrlMaker } from '../tasks/serialize.ts';
import { openSqliteStore, type Db } from './open.ts';
import { DuplicateExternalId, TaskStore, type TaskRow } from './tasks.ts';

let dir: string;
const dbs: Db[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-task-writes-'));
});
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((db) => db.destroy()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<Db> {
  const db = await openSqliteStore(dir);
  dbs.push(db);
  return db;
}

let nextId = 1000;
function task(changes: Partial<TaskRow> = {}): TaskRow {
  const now = Date.now();
  return {
    id: String(nextId++), tenant_id: 'tenant-1', family: 'text2video', external_task_id: null, status: 'submitted', status_msg: '',
    model: 'kling-v1', pack: 'video', slots: 1, units: 1, engine: 'fake', request_json: '{"prompt":"x"}', result_json: null,
    callback_url: null, watermark: 0, engine_json: null, processing_at: null, time_offset_ms: 0, created_at: now, updated_at: now,
    ...changes,
  };
}

const settle = (p: Promise<void>) => p.then(() => 'created', (e: unknown) => e);

describe('a group-commit batch', () => {
  it('with one used external_task_id: the two good creates succeed, the duplicate is told its own external id', async () => {
    const store = new TaskStore(await open());
    await store.insertIfAdmitted(task({ external_task_id: 'order-7' }), 10);
    const results = await Promise.all([
      settle(store.insertIfAdmitted(task({ external_task_id: 'order-8' }), 10)),
      settle(store.insertIfAdmitted(task({ external_task_id: 'order-7' }), 10)),
      settle(store.insertIfAdmitted(task(), 10)),
    ]);
    expect(results[0]).toBe('created');
    expect(results[1]).toBeInstanceOf(DuplicateExternalId);
    expect((results[1] as DuplicateExternalId).externalTaskId).toBe('order-7');
    expect(results[2]).toBe('created');
    // The refused create took no slot: two tasks created in the batch, three in all.
    const usage = await store.db.selectFrom('pack_usage').select('used').executeTakeFirstOrThrow();
    expect(usage.used).toBe(3);
    expect(await store.db.selectFrom('jobs').select('id').execute()).toHaveLength(3);
  });

  it('with one insert failing (a task id another process used): the other creates in the batch succeed', async () => {
    const db = await open();
    const other = new TaskStore(await open());
    const store = new TaskStore(db);
    const taken = task();
    await other.insertIfAdmitted(taken, 10);
    const results = await Promise.all([
      settle(store.insertIfAdmitted(task({ external_task_id: 'a' }), 10)),
      settle(store.insertIfAdmitted(task({ id: taken.id, external_task_id: 'b' }), 10)),
      settle(store.insertIfAdmitted(task(), 10)),
    ]);
    expect(results[0]).toBe('created');
    expect(results[1]).toBeInstanceOf(Error);
    expect(results[1]).not.toBeInstanceOf(DuplicateExternalId);
    // Not the client's doing: nothing in it says its external_task_id is used.
    expect(String(results[1])).not.toMatch(/external_task_id|UNIQUE/);
    expect(results[2]).toBe('created');
    expect((await db.selectFrom('pack_usage').select('used').executeTakeFirstOrThrow()).used).toBe(3);
  });
});

describe('the store step', () => {
  it('of a worker holding a stale row stores nothing over the result another worker stored', async () => {
    let renders = 0;
    const engine: Engine = {
      name: 'fake',
      admit: async () => null,
      step: async (t): Promise<Step> => {
        if (t.status === 'submitted') return { kind: 'start' };
        if (t.result_json) return { kind: 'succeed' };
        renders++;
        return { kind: 'store', result: { videos: [{ id: `render-${renders}`, file: `${renders}.mp4` }] } as any };
      },
    };
    const urls = { storage: { taskDir: () => dir, resolve: () => undefined }, publicUrl: () => 'http://kiln.test' } as unknown as UrlMaker;
    const runner = (store: TaskStore) => new TaskRunner({
      store, engine, urls, fetchInput: async () => Buffer.alloc(0), fetchOutput: async () => undefined, onEnqueued: () => undefined, log: { error: () => undefined },
    });
    // Two processes on one database, each with its own task rows in memory.
    const first = new TaskStore(await open());
    const second = new TaskStore(await open());
    const row = task({ status: 'processing', processing_at: Date.now() });
    await first.insertIfAdmitted(row, 10);
    await second.byId(row.id);
    const job = await first.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();

    await runner(first).advance({ ...job, id: Number(job.id) });
    const done = await first.db.selectFrom('tasks').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(done.status).toBe('succeed');
    expect(done.result_json).toContain('render-1');

    // The second process still holds the task as processing without a result.
    await runner(second).advance({ ...job, id: Number(job.id) });
    const after = await first.db.selectFrom('tasks').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('succeed');
    expect(after.result_json).toBe(done.result_json);
    expect(after.updated_at).toBe(done.updated_at);
  });
});
