// The runner and the Engine port: a task is advanced by the engine its `engine` column names (a task of an engine
// this server does not run fails, unbilled), and the state a step returns is stored, by compare-and-swap, before the
// step does anything, so an engine can record what it is about to do (the relay's upstream id) before doing it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine, Step } from '../engines/engine.ts';
import { EngineRegistry } from '../engines/registry.ts';
import { openSqliteStore, type Db } from '../store/open.ts';
import { addPack, packsOf } from '../store/resource-packs.ts';
import { TaskStore, type TaskRow } from '../store/tasks.ts';
import { TaskRunner } from './task-runner.ts';
import type { UrlMaker } from './serialize.ts';

let dir: string;
const dbs: Db[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-runner-engines-'));
});
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((db) => db.destroy()));
  fs.rmSync(dir, { recursive: true, force: true });
  // A step that threw would only be retried later: none may have.
  expect(errors.splice(0)).toEqual([]);
});

async function open(): Promise<Db> {
  const db = await openSqliteStore(dir);
  if (dbs.length === 0) await addPack(db, 'tenant-1', { type: 'video', units: 100 });
  dbs.push(db);
  return db;
}

function task(engine: string): TaskRow {
  const now = Date.now();
  return {
    id: '2000', tenant_id: 'tenant-1', family: 'text2video', external_task_id: null, status: 'submitted', status_msg: '',
    model: 'kling-v1', pack: 'video', slots: 1, units: 1, engine, request_json: '{"prompt":"x"}', result_json: null,
    callback_url: null, watermark: 0, engine_json: null, processing_at: null, time_offset_ms: 0, created_at: now, updated_at: now,
  };
}

const urls = { storage: { taskDir: () => dir, resolve: () => undefined }, publicUrl: () => 'http://kiln.test' } as unknown as UrlMaker;
const runnerOf = (store: TaskStore, engines: EngineRegistry) => new TaskRunner({
  store, engines, urls, fetchInput: async () => Buffer.alloc(0), fetchOutput: async () => undefined, onEnqueued: () => undefined, log: { error: (obj) => errors.push(obj) },
});
const errors: object[] = [];

async function advanceOnce(store: TaskStore, runner: TaskRunner, taskId: string): Promise<void> {
  const job = await store.pendingAdvance(taskId);
  await runner.advance({ ...job!, id: Number(job!.id) });
}

/** A stand-in for the relay: it must record the upstream id it will use before it sends anything upstream. */
function relayLike(name: string, upstreamId: string, onSend: () => Promise<void>): Engine {
  return {
    name,
    admit: async () => null,
    step: async (t): Promise<Step> => {
      const state = t.engine_json ? JSON.parse(t.engine_json) : {};
      if (t.status === 'submitted') {
        if (!state.upstreamId) return { kind: 'save', state: JSON.stringify({ upstreamId }) };
        await onSend();
        return { kind: 'start', state: JSON.stringify({ ...state, sent: true }) };
      }
      if (!t.result_json) return { kind: 'store', result: { images: [{ index: 0, file: '0.png' }] } };
      return { kind: 'succeed' };
    },
  };
}

describe('a task whose engine this server does not run', () => {
  it('fails saying which engine is missing, and is not billed', async () => {
    const db = await open();
    const store = new TaskStore(db);
    let steps = 0;
    const simulator: Engine = { name: 'simulator', admit: async () => null, step: async () => (steps++, { kind: 'succeed' }) };
    await store.insertIfAdmitted(task('relay'), 10);

    await advanceOnce(store, runnerOf(store, new EngineRegistry([simulator])), '2000');

    const row = await store.byId('2000');
    expect(row?.status).toBe('failed');
    expect(row?.status_msg).toBe("engine 'relay' is not configured on this server; the task was not billed");
    expect(steps).toBe(0);
    expect((await packsOf(db, 'tenant-1'))[0].remaining_quantity).toBe(100);
  });

  it('does not stop tasks of the engines it runs', async () => {
    const db = await open();
    const store = new TaskStore(db);
    const sends: string[] = [];
    const relay = relayLike('relay', 'up-1', async () => void sends.push('relay'));
    await store.insertIfAdmitted(task('relay'), 10);
    const simulator: Engine = { name: 'simulator', admit: async () => null, step: async () => ({ kind: 'fail', message: 'wrong engine' }) };

    await advanceOnce(store, runnerOf(store, new EngineRegistry([simulator, relay])), '2000');

    expect((await store.byId('2000'))?.status).toBe('succeed');
    expect(sends).toEqual(['relay']);
  });
});

describe('engine state a step returns', () => {
  it('is stored before the step acts, and kept by the later status changes', async () => {
    const db = await open();
    const store = new TaskStore(db);
    // What another process would read from the database at the moment the engine sends.
    const observer = new TaskStore(await open());
    const seenAtSend: (string | null)[] = [];
    const relay = relayLike('relay', 'up-1', async () => void seenAtSend.push((await observer.byId('2000'))!.engine_json));
    await store.insertIfAdmitted(task('relay'), 10);

    await advanceOnce(store, runnerOf(store, new EngineRegistry([relay])), '2000');

    expect(seenAtSend).toEqual([JSON.stringify({ upstreamId: 'up-1' })]);
    const done = await new TaskStore(await open()).byId('2000');
    expect(done?.status).toBe('succeed');
    expect(JSON.parse(done!.engine_json!)).toEqual({ upstreamId: 'up-1', sent: true });
  });

  it('from a worker holding a stale row stores nothing and does nothing', async () => {
    const first = new TaskStore(await open());
    const second = new TaskStore(await open());
    await first.insertIfAdmitted(task('relay'), 10);
    await second.byId('2000'); // the second process keeps the task as submitted, without state
    const sends: string[] = [];
    const job = await first.pendingAdvance('2000');

    await runnerOf(first, new EngineRegistry([relayLike('relay', 'up-first', async () => void sends.push('first'))]))
      .advance({ ...job!, id: Number(job!.id) });
    await runnerOf(second, new EngineRegistry([relayLike('relay', 'up-second', async () => void sends.push('second'))]))
      .advance({ ...job!, id: Number(job!.id) });

    expect(sends).toEqual(['first']);
    const row = await new TaskStore(await open()).byId('2000');
    expect(row?.status).toBe('succeed');
    expect(JSON.parse(row!.engine_json!)).toEqual({ upstreamId: 'up-first', sent: true });
  });
});
