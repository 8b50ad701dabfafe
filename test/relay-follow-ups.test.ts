// A follow-up that names a video the relay kept (video-extend's video_id) goes to the upstream account that made the
// video, whatever the routing would choose for a new task: only that account knows the id.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

const T2V = '/v1/videos/text2video';
const EXTEND = '/v1/videos/video-extend';

let relay: TestServer;
let alpha: TestServer;
let beta: TestServer;

beforeAll(async () => {
  [alpha, beta] = await Promise.all([startTestServer({ timing: 'instant' }), startTestServer({ timing: 'instant' })]);
  relay = await startTestServer({ timing: 'instant', relayPollDelayMs: () => 200, relayListIntervalMs: 200 });
  const admin = (method: string, route: string, body?: unknown) => relay.api(method, route, { token: relay.kiln.adminToken, body });
  await admin('PATCH', '/admin/tenants/default', { engine: 'relay' });
  await admin('POST', '/admin/upstreams', { name: 'alpha', base_url: alpha.url, api_key: alpha.creds.api_key, priority: 10 });
  await admin('POST', '/admin/upstreams', { name: 'beta', base_url: beta.url, api_key: beta.creds.api_key });
});
afterAll(async () => {
  await relay?.close();
  await Promise.all([alpha?.close(), beta?.close()]);
});

const copiesOn = async (upstream: TestServer, route: string, taskId: string) =>
  ((await upstream.api('GET', `${route}?pageNum=1&pageSize=500`)).json.data as any[]).filter((t) => t.task_info.external_task_id === `kiln-${taskId}`).length;

it('sends video-extend of a relayed video to the account that made it, though another is now preferred', async () => {
  const made = await relay.api('POST', T2V, { body: { prompt: 'a paper boat on a pond', model_name: 'kling-v1', duration: '5' } });
  const first = (await waitForTask(relay, T2V, made.json.data.task_id, 60_000)).json.data;
  expect(first.task_status).toBe('succeed');
  expect(await copiesOn(alpha, T2V, first.task_id)).toBe(1);

  // beta is preferred from now on: a new task would go there.
  await relay.api('PATCH', '/admin/upstreams/beta', { token: relay.kiln.adminToken, body: { priority: 20 } });
  const extended = await relay.api('POST', EXTEND, { body: { video_id: first.task_result.videos[0].id, prompt: 'the boat drifts on' } });
  expect(extended.json.code, extended.json.message).toBe(0);
  const done = (await waitForTask(relay, EXTEND, extended.json.data.task_id, 60_000)).json.data;
  expect(done.task_status, done.task_status_msg).toBe('succeed');
  expect([await copiesOn(alpha, EXTEND, done.task_id), await copiesOn(beta, EXTEND, done.task_id)]).toEqual([1, 0]);

  // A new task without such a reference follows the routing: beta.
  const fresh = await relay.api('POST', T2V, { body: { prompt: 'a new boat', model_name: 'kling-v1', duration: '5' } });
  expect((await waitForTask(relay, T2V, fresh.json.data.task_id, 60_000)).json.data.task_status).toBe('succeed');
  expect(await copiesOn(beta, T2V, fresh.json.data.task_id)).toBe(1);
});
