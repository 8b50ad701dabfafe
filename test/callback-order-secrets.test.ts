// Callbacks after a receiver outage: one task's events arrive in order (a later event waits until the earlier one
// is delivered or given up), and the webhook secret is stored once, with the tenant, so a rotated secret signs the
// retries that follow.

import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from './helpers/callback-receiver.ts';
import { allJobs } from '../packages/server/src/store/jobs.ts';
import { updateTenant } from '../packages/server/src/store/tenants.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

const T2I = '/v1/images/generations';
let server: TestServer;
let receiver: CallbackReceiver;

beforeAll(async () => {
  server = await startTestServer({ callbacks: { baseDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 120_000, timeoutMs: 10_000 } });
  receiver = await startCallbackReceiver();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

const event = (body: string) => JSON.parse(body) as { task_id: string; task_status: string };

async function createTasks(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await server.api('POST', T2I, { body: { prompt: `harbour ${i}`, callback_url: receiver.url } });
    expect(res.json.code).toBe(0);
    ids.push(res.json.data.task_id);
  }
  for (const id of ids) expect((await waitForTask(server, T2I, id)).json.data.task_status).toBe('succeed');
  return ids;
}

describe('after a receiver outage', () => {
  it('delivers each task\'s processing before its succeed, never after', async () => {
    let down = true;
    receiver.respond = () => (down ? 503 : 200);
    const start = receiver.received.length;
    const ids = await createTasks(5);
    // The outage lasts while every task is finished and each has been retried twice more.
    const attemptsAfter = receiver.received.length;
    await receiver.waitFor((all) => ids.every((id) => all.slice(attemptsAfter).filter((r) => event(r.body).task_id === id).length >= 2));
    down = false;
    await receiver.waitFor((all) => ids.every((id) => all.slice(start).some((r) => event(r.body).task_id === id && event(r.body).task_status === 'succeed')));

    for (const id of ids) {
      const statuses = receiver.received.slice(start).map((r) => event(r.body)).filter((e) => e.task_id === id).map((e) => e.task_status);
      const firstSucceed = statuses.indexOf('succeed');
      expect(statuses.slice(firstSucceed)).not.toContain('processing');
      expect(statuses.slice(0, firstSucceed)).toContain('processing');
    }
  });
});

describe('the webhook secret', () => {
  it('is kept in no job row, and a retry after rotating it is signed with the new secret', async () => {
    const oldSecret = server.creds.webhook_secret!;
    let down = true;
    receiver.respond = () => (down ? 500 : 200);
    const start = receiver.received.length;
    const ids = await createTasks(3);
    const rows = await allJobs(server.kiln.db);
    expect(rows.filter((r) => r.kind === 'callback' && r.status === 'pending').length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(rows)).not.toContain(oldSecret);
    expect(JSON.stringify(rows)).not.toContain(oldSecret.replace(/^whsec_/, ''));

    const newSecret = 'whsec_' + Buffer.from('a rotated secret of 32 bytes!!!!').toString('base64');
    await updateTenant(server.kiln.db, server.creds.tenant_id, { webhook_secret: newSecret });
    const rotatedAt = receiver.received.length;
    down = false;
    await receiver.waitFor((all) => ids.every((id) => all.slice(start).some((r) => event(r.body).task_id === id && event(r.body).task_status === 'succeed')));

    // Every attempt that began after the rotation was read carries the new signature (one in flight may not).
    const after = receiver.received.slice(rotatedAt + 1);
    expect(after.length).toBeGreaterThanOrEqual(ids.length);
    const verify = (secret: string, r: (typeof after)[number]) => {
      try {
        new Webhook(secret).verify(r.body, {
          'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']),
          'webhook-signature': String(r.headers['webhook-signature']),
        });
        return true;
      } catch {
        return false;
      }
    };
    const lastOfEach = ids.map((id) => after.filter((r) => event(r.body).task_id === id).at(-1)!);
    for (const r of lastOfEach) {
      expect(verify(newSecret, r)).toBe(true);
      expect(verify(oldSecret, r)).toBe(false);
    }
  });
});
