// kiln on PostgreSQL with its work split between processes: an API process (KILN_ROLE=api) takes tasks and a
// worker process (KILN_ROLE=worker) renders them, sharing one database (fresh for this file) and one data
// directory for media. The worker is woken through the database, simulator controls reach it, and it serves
// only health, readiness and metrics.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiln, type Kiln } from '../packages/server/src/kiln.ts';
import { deductionsPage } from '../packages/server/src/store/deductions.ts';
import { createTestDatabase, type TestDatabase } from '../packages/server/src/store/postgres-test-db.ts';
import { startCallbackReceiver, type CallbackReceiver } from './helpers/callback-receiver.ts';
import { startServerProcess } from './helpers/server-process.ts';
import { startTestServer, tempDir, waitForTask, type TestServer } from './helpers/test-server.ts';

const T2V = '/v1/videos/text2video';
let database: TestDatabase;
let api: TestServer;
let worker: Kiln;
let receiver: CallbackReceiver;

beforeAll(async () => {
  database = await createTestDatabase();
  const dataDir = tempDir();
  api = await startTestServer({ dataDir, databaseUrl: database.url, role: 'api', workers: false });
  worker = await startKiln({
    port: 0, host: '127.0.0.1', dataDir, databaseUrl: database.url, role: 'worker', allowPrivateUrls: true, workers: true,
    renderConcurrency: 2, callbackConcurrency: 4, callbacks: { baseDelayMs: 100, maxDelayMs: 400, giveUpAfterMs: 5_000, timeoutMs: 2_000 },
    bodyLimitBytes: 1024 * 1024, logLevel: 'silent', timing: 'fast', defaultTenant: {},
  });
  receiver = await startCallbackReceiver();
}, 60_000);

afterAll(async () => {
  await api?.close();
  await worker?.close();
  await receiver?.close();
  await database?.drop();
});

describe('an API process and a worker process on PostgreSQL', () => {
  it('render every task the API process takes, with its callbacks, charging each once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await api.api('POST', T2V, { body: { prompt: `a lantern ${i}`, duration: '5', callback_url: receiver.url, external_task_id: `pg-${i}` } });
      expect(created.json.code).toBe(0);
      ids.push(created.json.data.task_id);
    }
    for (const id of ids) expect((await waitForTask(api, T2V, id, 60_000)).json.data.task_status).toBe('succeed');
    await receiver.waitFor((all) => ids.every((id) => all.some((c) => JSON.parse(c.body).task_id === id && JSON.parse(c.body).task_status === 'succeed')));
    // One processing and one succeed event per task, each once (one webhook-id per event).
    for (const id of ids) {
      const events = receiver.received.filter((c) => JSON.parse(c.body).task_id === id);
      expect(new Set(events.map((c) => c.headers['webhook-id'])).size).toBe(2);
    }
    // The task's media is served by the API process from where the worker stored it.
    const done = await api.api('GET', `${T2V}/${ids[0]}`);
    const video = await fetch(done.json.data.task_result.videos[0].url);
    expect(video.status).toBe(200);
    expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    // Each charged once: one deduction row per task.
    const rows = await deductionsPage(api.kiln.db, api.creds.tenant_id, { start: 0, end: Date.now() + 60_000, filters: {}, afterId: 0, limit: 500 });
    for (const id of ids) expect(rows.filter((r) => r.task_id === id)).toHaveLength(1);
  }, 120_000);

  it('finish a task when a simulator control is called on the API process', async () => {
    const created = await api.api('POST', T2V, { body: { prompt: 'a slow tide', duration: '10' } });
    const id = created.json.data.task_id;
    const completed = await api.api('POST', `/simulator/tasks/${id}/complete`, {});
    expect(completed.json.data.task_status).toBe('succeed');
  }, 60_000);

  it('serve no Kling API from the worker process, only health, readiness and metrics', async () => {
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${worker.url}/readyz`);
    expect(ready.status).toBe(200);
    const create = await fetch(`${worker.url}${T2V}`, { method: 'POST', headers: { authorization: `Bearer ${api.creds.api_key}` }, body: '{}' });
    expect(create.status).toBe(404);
  });
});

describe('a start on PostgreSQL', () => {
  it('of several processes at once on a new database: all start, one makes the default tenant, the others use it', async () => {
    const fresh = await createTestDatabase();
    const started: Kiln[] = [];
    try {
      const starts = await Promise.allSettled(Array.from({ length: 3 }, () => startKiln({
        port: 0, host: '127.0.0.1', dataDir: tempDir(), databaseUrl: fresh.url, role: 'api', allowPrivateUrls: true, workers: false,
        renderConcurrency: 1, callbackConcurrency: 1, callbacks: { baseDelayMs: 100, maxDelayMs: 400, giveUpAfterMs: 5_000, timeoutMs: 2_000 },
        bodyLimitBytes: 1024 * 1024, logLevel: 'silent', timing: 'fast', defaultTenant: { apiKey: 'shared-key' },
      })));
      for (const s of starts) if (s.status === 'fulfilled') started.push(s.value);
      expect(starts.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect(started.filter((k) => k.createdDefaultTenant)).toHaveLength(1);
      for (const kiln of started) {
        const res = await fetch(`${kiln.url}${T2V}/none`, { headers: { authorization: 'Bearer shared-key' } });
        // Authenticated (the key works on every process): the task is not found, not the key.
        expect((await res.json()).code).not.toBe(1002);
      }
    } finally {
      await Promise.all(started.map((k) => k.close()));
      await fresh.drop();
    }
  });

  it('is refused with a message naming the database (never its password) when PostgreSQL cannot be reached', async () => {
    const started = await startServerProcess(tempDir(), 'key', { KILN_DATABASE_URL: 'postgres://kiln:s3cret@127.0.0.1:1/kiln' });
    expect(started.listening).toBe(false);
    expect(started.exitCode).toBe(1);
    expect(started.output).toContain('kiln cannot start: the PostgreSQL store at 127.0.0.1:1/kiln cannot be used');
    expect(started.output).not.toContain('s3cret');
  });
});
