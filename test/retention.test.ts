// Retention (spec §1.4: generated media is deleted after 30 days): a sweep purges a finished task's results and
// stored inputs once it is past the period; the task is still found, its URLs answer 404. Two processes sweeping
// at once purge each task once. The sweep's clock is injected: no test waits 30 days.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { LocalStorage } from '../packages/server/src/storage/local-storage.ts';
import { mediaSigningSecret } from '../packages/server/src/store/settings.ts';
import { buryJob, enqueueCallback, jobsOf } from '../packages/server/src/store/jobs.ts';
import { findRelayedId, rememberRelayedId } from '../packages/server/src/store/relayed-ids.ts';
import { RetentionSweeper } from '../packages/server/src/tasks/retention-sweep.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const DAY = 24 * 3600 * 1000;
let server: TestServer;
let storage: LocalStorage;
beforeAll(async () => {
  server = await startTestServer({ timing: 'instant' });
  storage = new LocalStorage(path.join(server.dataDir, 'media'), await mediaSigningSecret(server.kiln.db));
});
afterAll(async () => { await server.close(); });

async function finishedImageTask(prompt: string, image?: string) {
  const created = await server.api('POST', '/v1/images/generations', { body: { prompt, ...(image ? { image } : {}) } });
  expect(created.json.code).toBe(0);
  const done = await server.api('POST', `/simulator/tasks/${created.json.data.task_id}/complete`);
  expect(done.json.data.task_status).toBe('succeed');
  return { id: created.json.data.task_id as string, url: done.json.data.task_result.images[0].url as string };
}

/** A sweeper as another process on the same data directory runs it, with its clock `days` ahead. */
const sweeper = (days: number, retentionDays = 30) => new RetentionSweeper(server.kiln.db, storage, { retentionDays, now: () => Date.now() + days * DAY });

describe('retention sweep', () => {
  it('keeps a task younger than the period, purges it once past, and the task still answers with 404 URLs', async () => {
    const task = await finishedImageTask('a red kite');
    expect((await fetch(task.url)).status).toBe(200);

    const early = await sweeper(29).sweepOnce();
    expect(early.tasks).toBe(0);
    expect((await fetch(task.url)).status).toBe(200);

    const late = await sweeper(31).sweepOnce();
    expect(late.tasks).toBeGreaterThanOrEqual(1);
    const gone = await fetch(task.url);
    expect(gone.status).toBe(404);
    expect((await gone.json()).code).toBe(1203);

    const queried = await server.api('GET', `/v1/images/generations/${task.id}`);
    expect(queried.json.data).toMatchObject({ task_id: task.id, task_status: 'succeed' });
  });

  it('purges each task once when two processes sweep at the same moment', async () => {
    const tasks = await Promise.all(['one', 'two', 'three'].map((p) => finishedImageTask(`a ${p}`)));
    const [a, b] = await Promise.all([sweeper(40).sweepOnce(), sweeper(40).sweepOnce()]);
    expect(a.tasks + b.tasks).toBe(tasks.length);
    for (const t of tasks) expect((await fetch(t.url)).status).toBe(404);
    expect((await sweeper(41).sweepOnce()).tasks).toBe(0);
  });

  it('deletes dead jobs past the period and keeps younger ones', async () => {
    const { id } = await finishedImageTask('a dead letter');
    // Dead letters as the queue makes them: a callback job queued then, given up on.
    const insert = async (createdAt: number) => {
      await enqueueCallback(server.kiln.db, { taskId: id, tenantId: server.creds.tenant_id, payloadJson: '{}', now: createdAt });
      const job = (await jobsOf(server.kiln.db, id, 'callback')).find((j) => Number(j.created_at) === createdAt)!;
      await buryJob(server.kiln.db, job.id, 'receiver down');
    };
    await insert(Date.now() - 45 * DAY);
    await insert(Date.now() - 2 * DAY);
    const report = await sweeper(0).sweepOnce();
    expect(report.deadJobs).toBe(1);
    const left = (await jobsOf(server.kiln.db, id, 'callback')).filter((j) => j.status === 'dead');
    expect(left).toHaveLength(1);
  });

  it('forgets the ids relayed calls got upstream once past the period, and keeps younger ones', async () => {
    const tenant = server.creds.tenant_id;
    await rememberRelayedId(server.kiln.db, { tenant_id: tenant, kind: 'session', id: 'old-session', upstream: 'main', created_at: Date.now() - 45 * DAY });
    await rememberRelayedId(server.kiln.db, { tenant_id: tenant, kind: 'audio', id: 'new-audio', upstream: 'main', created_at: Date.now() - 2 * DAY });
    expect((await sweeper(0).sweepOnce()).relayedIds).toBe(1);
    expect(await findRelayedId(server.kiln.db, tenant, 'session', 'old-session')).toBeUndefined();
    expect(await findRelayedId(server.kiln.db, tenant, 'audio', 'new-audio')).toMatchObject({ upstream: 'main' });
  });
});
