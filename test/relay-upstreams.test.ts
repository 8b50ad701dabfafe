// A relay kiln routing between two upstreams of its registry (two simulator kilns standing in for Kling accounts),
// managed over /admin/upstreams: a task goes to the upstreams that carry its model, the highest priority first, and
// stays on the upstream it was sent to when the registry changes, a follow-up naming a relayed video goes to the
// account that made it; secrets never come back out of the API.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

const T2V = '/v1/videos/text2video';
const EXTEND = '/v1/videos/video-extend';

let relay: TestServer;
let alpha: TestServer;
let beta: TestServer;

beforeAll(async () => {
  [alpha, beta] = await Promise.all([startTestServer({ timing: 'instant' }), startTestServer({ timing: 'instant' })]);
  relay = await startTestServer({ timing: 'instant', relayPollDelayMs: () => 200, relayListIntervalMs: 200 });
  await relay.api('PATCH', '/admin/tenants/default', { token: relay.kiln.adminToken, body: { engine: 'relay' } });
});
afterAll(async () => {
  await relay?.close();
  await Promise.all([alpha?.close(), beta?.close()]);
});

const admin = (method: string, route: string, body?: unknown) => relay.api(method, route, { token: relay.kiln.adminToken, body });

/** The upstream tasks a kiln task made there (by the external id the relay derives from kiln's task id). */
async function upstreamCopies(upstream: TestServer, taskId: string, route = T2V): Promise<any[]> {
  const listed = (await upstream.api('GET', `${route}?pageNum=1&pageSize=500`)).json.data;
  return listed.filter((t: any) => t.task_info.external_task_id === `kiln-${taskId}`);
}

async function relayed(body: object): Promise<string> {
  const created = await relay.api('POST', T2V, { body: { duration: '5', ...body } });
  expect(created.json.code, created.json.message).toBe(0);
  return created.json.data.task_id;
}

describe('the upstream registry', () => {
  it('adds upstreams over /admin/upstreams, never showing a secret, and refuses bad input naming the field', async () => {
    const added = await admin('POST', '/admin/upstreams', {
      name: 'alpha', base_url: alpha.url, api_key: alpha.creds.api_key, models: ['kling-v2-6'], priority: 10,
      webhook_secret: 'whsec_YWxwaGEtd2ViaG9vay1zZWNyZXQ=',
    });
    expect(added.json.code, added.json.message).toBe(0);
    expect(added.json.data).toMatchObject({ name: 'alpha', api_key_set: true, webhook_secret_set: true, priority: 10, models: ['kling-v2-6'] });
    const second = await admin('POST', '/admin/upstreams', {
      name: 'beta', base_url: beta.url, path_style: 'kling', access_key: beta.creds.access_key, secret_key: beta.creds.secret_key,
    });
    expect(second.json.code, second.json.message).toBe(0);
    // The kling path style takes a Bearer key: beta signs in with its API key instead of the pair.
    expect((await admin('PATCH', '/admin/upstreams/beta', { api_key: beta.creds.api_key })).json.data).toMatchObject({ api_key_set: true, secret_key_set: false, access_key: null });

    const everything = JSON.stringify([(await admin('GET', '/admin/upstreams')).json, (await admin('GET', '/admin/upstreams/alpha')).json, (await admin('GET', '/admin/upstreams/beta')).json]);
    for (const secret of [alpha.creds.api_key, beta.creds.api_key, beta.creds.secret_key, 'YWxwaGEtd2ViaG9vay1zZWNyZXQ']) expect(everything).not.toContain(secret);
    expect((await admin('GET', '/admin/upstreams')).json.data.map((u: any) => u.name)).toEqual(['alpha', 'beta']);

    const refusals: [string, string, unknown, RegExp][] = [
      ['POST', '/admin/upstreams', { name: 'gamma', base_url: 'ftp://nowhere', api_key: 'k' }, /^base_url: must be an http/],
      ['POST', '/admin/upstreams', { name: 'gamma', base_url: alpha.url }, /^api_key: an upstream needs api_key, or access_key and secret_key/],
      ['POST', '/admin/upstreams', { name: 'gamma', base_url: alpha.url, api_key: 'k', path_style: 'endpoint' }, /^endpoint_path: /],
      ['POST', '/admin/upstreams', { name: 'alpha', base_url: alpha.url, api_key: 'k' }, /^name: an upstream named 'alpha' already exists/],
      ['PATCH', '/admin/upstreams/alpha', { priority: 'high' }, /^priority must be an integer/],
      ['PATCH', '/admin/upstreams/alpha', { families: ['text2vidoe'] }, /^families: no family named 'text2vidoe'/],
      ['PATCH', '/admin/upstreams/alpha', { results: 'copy' }, /^results: must be one of archive, passthrough/],
    ];
    for (const [method, route, body, message] of refusals) {
      const res = await admin(method, route, body);
      expect({ status: res.status, code: res.json.code }).toEqual({ status: 400, code: 1201 });
      expect(res.json.message).toMatch(message);
    }
    expect((await admin('GET', '/admin/upstreams/gamma')).json.code).toBe(1203);
    expect((await relay.api('GET', '/admin/upstreams', { token: relay.creds.api_key })).json.code).toBe(1002);
  });

  it('routes by model, then priority: each task made once, on the upstream chosen', async () => {
    // alpha carries only kling-v2-6 (priority 10); beta carries every model (priority 0).
    const v26 = await relayed({ prompt: 'for alpha', model_name: 'kling-v2-6' });
    const v1 = await relayed({ prompt: 'for beta', model_name: 'kling-v1' });
    for (const id of [v26, v1]) expect((await waitForTask(relay, T2V, id, 60_000)).json.data.task_status).toBe('succeed');
    expect([(await upstreamCopies(alpha, v26)).length, (await upstreamCopies(beta, v26)).length]).toEqual([1, 0]);
    expect([(await upstreamCopies(alpha, v1)).length, (await upstreamCopies(beta, v1)).length]).toEqual([0, 1]);

    // beta raised above alpha: it now gets kling-v2-6 too.
    await admin('PATCH', '/admin/upstreams/beta', { priority: 20 });
    const raised = await relayed({ prompt: 'for beta now', model_name: 'kling-v2-6' });
    expect((await waitForTask(relay, T2V, raised, 60_000)).json.data.task_status).toBe('succeed');
    expect([(await upstreamCopies(alpha, raised)).length, (await upstreamCopies(beta, raised)).length]).toEqual([0, 1]);
    await admin('PATCH', '/admin/upstreams/beta', { priority: 0 });
  });

  it("reports an upstream account's own packs from its /account/costs, and says which upstream failed to", async () => {
    const end = Date.now();
    const direct = (await beta.api('GET', `/account/costs?start_time=0&end_time=${end}`)).json.data;
    expect(direct.resource_pack_subscribe_infos.length).toBeGreaterThan(0);
    const relayed = await admin('GET', `/admin/upstreams/beta/costs?start_time=0&end_time=${end}`);
    expect(relayed.json.code, relayed.json.message).toBe(0);
    expect(relayed.json.data).toEqual(direct);

    expect((await admin('GET', '/admin/upstreams/nobody/costs')).json.code).toBe(1203);
    const bad = await admin('GET', '/admin/upstreams/beta/costs?start_time=yesterday');
    expect({ status: bad.status, code: bad.json.code }).toEqual({ status: 400, code: 1201 });
    expect(bad.json.message).toMatch(/^start_time must be an integer/); // as Kling's own /account/costs says it
    await admin('POST', '/admin/upstreams', { name: 'gone', base_url: 'http://127.0.0.1:9', api_key: 'k', families: ['omni-video'], priority: -100 });
    const unreachable = await admin('GET', '/admin/upstreams/gone/costs');
    expect({ status: unreachable.status, code: unreachable.json.code }).toEqual({ status: 503, code: 5001 });
    expect(unreachable.json.message).toMatch(/^upstream 'gone' did not report its costs: /);
    await admin('DELETE', '/admin/upstreams/gone');
  });

  it('sends a follow-up naming a relayed video to the account that made it, though another would get a new task', async () => {
    // alpha carries only kling-v2-6: a kling-v1 video is made on beta.
    const made = await relayed({ prompt: 'a paper boat on a pond', model_name: 'kling-v1' });
    const first = (await waitForTask(relay, T2V, made, 60_000)).json.data;
    expect([(await upstreamCopies(alpha, made)).length, (await upstreamCopies(beta, made)).length]).toEqual([0, 1]);
    // Now alpha carries every model, first: a new task goes there, but the video is beta's.
    await admin('PATCH', '/admin/upstreams/alpha', { models: [] });
    try {
      const extended = await relay.api('POST', EXTEND, { body: { video_id: first.task_result.videos[0].id, prompt: 'the boat drifts on' } });
      expect(extended.json.code, extended.json.message).toBe(0);
      const done = (await waitForTask(relay, EXTEND, extended.json.data.task_id, 60_000)).json.data;
      expect(done.task_status, done.task_status_msg).toBe('succeed');
      expect([(await upstreamCopies(alpha, done.task_id, EXTEND)).length, (await upstreamCopies(beta, done.task_id, EXTEND)).length]).toEqual([0, 1]);
      const fresh = await relayed({ prompt: 'a new boat', model_name: 'kling-v1' });
      expect((await waitForTask(relay, T2V, fresh, 60_000)).json.data.task_status).toBe('succeed');
      expect([(await upstreamCopies(alpha, fresh)).length, (await upstreamCopies(beta, fresh)).length]).toEqual([1, 0]);
    } finally {
      await admin('PATCH', '/admin/upstreams/alpha', { models: ['kling-v2-6'] });
    }
  });

  it('keeps a task on its upstream when the registry changes under it; an upstream with tasks on it cannot be removed', async () => {
    // alpha holds its tasks until told to finish them.
    await alpha.api('PUT', '/admin/simulator/rules', { token: alpha.kiln.adminToken, body: { rules: [{ family: 'text2video', probability: 1, fault: 'stuck' }], blocked_words: [] } });
    try {
      const id = await relayed({ prompt: 'stays on alpha', model_name: 'kling-v2-6' });
      const deadline = Date.now() + 30_000;
      let copies: any[] = [];
      while ((copies = await upstreamCopies(alpha, id)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(copies).toHaveLength(1);

      // alpha now comes last and carries nothing new, but the task sent there is still followed there.
      await admin('PATCH', '/admin/upstreams/alpha', { priority: -5, families: ['omni-video'] });
      const removal = await admin('DELETE', '/admin/upstreams/alpha');
      expect(removal.status).toBe(400);
      expect(removal.json.message).toMatch(/upstream 'alpha' has unfinished tasks/);
      const next = await relayed({ prompt: 'goes to beta', model_name: 'kling-v2-6' });

      await alpha.api('POST', `/simulator/tasks/${copies[0].task_id}/complete`, { body: {} });
      const done = await waitForTask(relay, T2V, id, 60_000);
      expect(done.json.data.task_status).toBe('succeed');
      expect(done.json.data.task_result.videos[0].url.startsWith(relay.url)).toBe(true);
      expect((await upstreamCopies(beta, id))).toHaveLength(0);
      expect((await waitForTask(relay, T2V, next, 60_000)).json.data.task_status).toBe('succeed');
      expect([(await upstreamCopies(alpha, next)).length, (await upstreamCopies(beta, next)).length]).toEqual([0, 1]);

      expect((await admin('DELETE', '/admin/upstreams/alpha')).json.data).toEqual({ name: 'alpha', removed: true });
      expect((await admin('GET', '/admin/upstreams')).json.data.map((u: any) => u.name)).toEqual(['beta']);
    } finally {
      await alpha.api('PUT', '/admin/simulator/rules', { token: alpha.kiln.adminToken, body: { rules: [], blocked_words: [] } });
    }
  });

  it('is documented in /openapi.json beside the other admin endpoints', async () => {
    const doc = (await relay.api('GET', '/openapi.json', { token: null })).json;
    expect(Object.keys(doc.paths['/admin/upstreams']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/admin/upstreams/{name}']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(Object.keys(doc.paths['/admin/upstreams/{name}/costs'])).toEqual(['get']);
    expect(doc.paths['/admin/upstreams'].post.requestBody.content['application/json'].schema.properties.models).toBeDefined();
    expect(doc.paths['/admin/upstreams'].post.security).toEqual([{ adminToken: [] }]);
  });
});
