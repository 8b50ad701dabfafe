// The relay engine end to end: a relay kiln in front of a simulator kiln standing in for Kling. What a client of the
// relay sees (kiln ids, kiln URLs, the upstream's price), what the upstream sees (one task per kiln task, under an
// external id derived from kiln's), and what happens when the upstream refuses, fails or loses an answer.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';
import type { UpstreamConfig } from '../packages/server/src/engines/relay/upstream.ts';
import type { KilnConfig } from '@kiln/server';
import { TaskStore } from '../packages/server/src/store/tasks.ts';
import { updateTenant } from '../packages/server/src/store/tenants.ts';
import { signWebhook } from '@kiln/contract';

const T2V = '/v1/videos/text2video';

let upstream: TestServer;
const relays: TestServer[] = [];

async function startRelay(config: Partial<UpstreamConfig> = {}, server: Partial<KilnConfig> = {}): Promise<TestServer> {
  const relay = await startTestServer({
    timing: 'instant',
    upstream: { name: 'default', baseUrl: upstream.url, pathStyle: 'official', apiKey: upstream.creds.api_key, ...config },
    // The upstream's list is read as often as the tests poll, not every 5 s.
    relayListIntervalMs: 250,
    ...server,
  });
  relays.push(relay);
  return relay;
}

/** The upstream's tasks of a family, as its owner lists them. */
async function upstreamTasks(familyPath: string): Promise<any[]> {
  return (await upstream.api('GET', `${familyPath}?pageNum=1&pageSize=500`)).json.data;
}

/** A port free now, so a relay can be told its public URL before it listens (the upstream calls back there). */
function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function setUpstreamRules(rules: object): Promise<void> {
  const res = await upstream.api('PUT', '/admin/simulator/rules', { body: rules, token: upstream.kiln.adminToken });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  upstream = await startTestServer({ timing: 'instant' });
});

afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
  await upstream.close();
});

describe('relay to an upstream Kling account', () => {
  it('carries a text-to-video task: one upstream task, kiln ids and URLs, outputs kept, the upstream price billed', async () => {
    const relay = await startRelay();
    const created = await relay.api('POST', T2V, { body: { prompt: 'a red fox in the snow', duration: '5', external_task_id: 'fox-1' } });
    expect(created.json.code).toBe(0);
    const taskId = created.json.data.task_id;

    const done = await waitForTask(relay, T2V, taskId, 60_000);
    expect(done.json.data.task_status).toBe('succeed');
    // The client's own external id stays kiln's; the upstream knows the task by one derived from kiln's task id.
    expect(done.json.data.task_info.external_task_id).toBe('fox-1');
    const mine = (await upstreamTasks(T2V)).filter((t) => t.task_info.external_task_id === `kiln-${taskId}`);
    expect(mine).toHaveLength(1);
    const upstreamTask = (await upstream.api('GET', `${T2V}/${mine[0].task_id}`)).json.data;

    // The result is served by the relay, and is the upstream's video, byte for byte.
    const video = done.json.data.task_result.videos[0];
    expect(video.url.startsWith(relay.url)).toBe(true);
    const kept = Buffer.from(await (await fetch(video.url)).arrayBuffer());
    const original = Buffer.from(await (await fetch(upstreamTask.task_result.videos[0].url)).arrayBuffer());
    expect(kept.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(kept.equals(original)).toBe(true);
    expect(video.duration).toBe(upstreamTask.task_result.videos[0].duration);

    // Billed what the upstream billed.
    expect(done.json.data.final_unit_deduction).toBe(upstreamTask.final_unit_deduction);
  });

  it('carries an image task through a `/kling/v1` reseller path with a Bearer key', async () => {
    const relay = await startRelay({ pathStyle: 'kling' });
    const created = await relay.api('POST', '/v1/images/generations', { body: { prompt: 'a lighthouse', n: 2, aspect_ratio: '16:9' } });
    expect(created.json.code).toBe(0);
    const done = await waitForTask(relay, '/v1/images/generations', created.json.data.task_id, 60_000);
    expect(done.json.data.task_status).toBe('succeed');
    const images = done.json.data.task_result.images;
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect(image.url.startsWith(relay.url)).toBe(true);
      const bytes = Buffer.from(await (await fetch(image.url)).arrayBuffer());
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  });

  it('answers the create with the upstream refusal, as Kling gave it, and keeps no task and no charge', async () => {
    const relay = await startRelay();
    await setUpstreamRules({ rules: [], blocked_words: ['forbidden'] });
    try {
      const direct = await upstream.api('POST', T2V, { body: { prompt: 'a forbidden fox', duration: '5' } });
      const created = await relay.api('POST', T2V, { body: { prompt: 'a forbidden fox', duration: '5', external_task_id: 'refused-1' } });
      expect([created.status, created.json.code, created.json.message]).toEqual([direct.status, 1301, direct.json.message]);
      // No task on the relay (its external id is free again), no slot held, nothing billed.
      expect((await relay.api('GET', `${T2V}/refused-1`)).json.code).toBe(1201);
      expect((await relay.api('GET', '/kiln/tasks?q=refused-1')).json.data.tasks).toEqual([]);
      const again = await relay.api('POST', T2V, { body: { prompt: 'a quiet fox', duration: '5', external_task_id: 'refused-1' } });
      expect(again.json.code, again.json.message).toBe(0);
      expect((await waitForTask(relay, T2V, again.json.data.task_id, 60_000)).json.data.task_status).toBe('succeed');
    } finally {
      await setUpstreamRules({ rules: [], blocked_words: [] });
    }
  });

  it('fails the task with the message of a failed upstream task, unbilled', async () => {
    const relay = await startRelay();
    await setUpstreamRules({ rules: [{ family: 'text2video', probability: 1, fault: 'fail=1301;msg=the upstream could not make it' }], blocked_words: [] });
    try {
      const created = await relay.api('POST', T2V, { body: { prompt: 'a quiet harbour', duration: '5' } });
      const done = await waitForTask(relay, T2V, created.json.data.task_id, 60_000);
      expect(done.json.data.task_status).toBe('failed');
      expect(done.json.data.task_status_msg).toBe('the upstream could not make it');
      expect(done.json.data.final_unit_deduction).toBe('0');
    } finally {
      await setUpstreamRules({ rules: [], blocked_words: [] });
    }
  });

  it('makes exactly one upstream task when the answer to its create is lost', async () => {
    // A proxy that lets the first create reach the upstream and then cuts the connection before the answer.
    let cut = 0;
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const answer = await fetch(upstream.url + req.url, {
          method: req.method,
          headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>,
          body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await answer.arrayBuffer());
        if (req.method === 'POST' && cut === 0) {
          cut++;
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const relay = await startRelay({ baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
      const created = await relay.api('POST', T2V, { body: { prompt: 'a lost answer', duration: '5' } });
      const taskId = created.json.data.task_id;
      const done = await waitForTask(relay, T2V, taskId, 60_000);
      expect(cut).toBe(1);
      expect(done.json.data.task_status).toBe('succeed');
      const mine = (await upstreamTasks(T2V)).filter((t) => t.task_info.external_task_id === `kiln-${taskId}`);
      expect(mine).toHaveLength(1);
    } finally {
      proxy.close();
    }
  });

  it('follows upstream callbacks as hints: the task ends on them long before the next poll; forged or replayed ones change nothing', async () => {
    const port = await freePort();
    const relay = await startRelay({}, { port, publicUrl: `http://127.0.0.1:${port}`, relayPollDelayMs: () => 10 * 60_000 });
    const created = await relay.api('POST', T2V, { body: { prompt: 'a heron at dawn', duration: '5' } });
    const taskId = created.json.data.task_id;
    const done = await waitForTask(relay, T2V, taskId, 60_000);
    expect(done.json.data.task_status).toBe('succeed');

    // The upstream task carries the relay's own hook for this task, never the client's callback.
    const [mine] = (await upstreamTasks(T2V)).filter((t) => t.task_info.external_task_id === `kiln-${taskId}`);
    const hook = (await new TaskStore(upstream.kiln.db).byId(mine.task_id))!.callback_url!;
    expect(hook.startsWith(`http://127.0.0.1:${port}/relay/callbacks/${taskId}.`)).toBe(true);

    const forged = await fetch(`http://127.0.0.1:${port}/relay/callbacks/${taskId}.forgedforgedforgedforgedforged12`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(forged.status).toBe(404);
    expect((await forged.json()).code).toBe(1202);
    const replayed = await fetch(hook, { method: 'POST', body: JSON.stringify({ task_id: mine.task_id, task_status: 'failed' }), headers: { 'content-type': 'application/json' } });
    expect(replayed.status).toBe(200);
    const after = (await relay.api('GET', `${T2V}/${taskId}`)).json.data;
    expect(after.task_status).toBe('succeed');
    expect(after.task_result.videos[0].id).toBe(done.json.data.task_result.videos[0].id);
    expect((await upstreamTasks(T2V)).filter((t) => t.task_info.external_task_id === `kiln-${taskId}`)).toHaveLength(1);
  });

  it("checks the Standard Webhooks signature of an upstream's callbacks when the upstream has a webhook secret", async () => {
    const port = await freePort();
    const secret = upstream.creds.webhook_secret!;
    const relay = await startRelay({ webhookSecret: secret }, { port, publicUrl: `http://127.0.0.1:${port}`, relayPollDelayMs: () => 10 * 60_000 });
    // The upstream signs its callbacks with this secret: they verify, and the task ends on them long before a poll.
    const created = await relay.api('POST', T2V, { body: { prompt: 'a kingfisher diving', duration: '5' } });
    const taskId = created.json.data.task_id;
    expect((await waitForTask(relay, T2V, taskId, 60_000)).json.data.task_status).toBe('succeed');
    const [mine] = (await upstreamTasks(T2V)).filter((t) => t.task_info.external_task_id === `kiln-${taskId}`);
    const hook = (await new TaskStore(upstream.kiln.db).byId(mine.task_id))!.callback_url!;

    const body = JSON.stringify({ task_id: mine.task_id, task_status: 'succeed' });
    const post = (headers: Record<string, string>) => fetch(hook, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const now = Math.floor(Date.now() / 1000);
    const signed = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(now), 'webhook-signature': await signWebhook(secret, 'msg_1', now, body) };
    expect((await post(signed)).status).toBe(200);
    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).code).toBe(1002);
    const otherSecret = 'whsec_' + Buffer.from('not the upstream secret at all!!').toString('base64');
    expect((await post({ ...signed, 'webhook-signature': await signWebhook(otherSecret, 'msg_1', now, body) })).status).toBe(401);
    // A signature of another body, or one too old, does not verify either.
    expect((await post({ ...signed, 'webhook-signature': await signWebhook(secret, 'msg_1', now, '{}') })).status).toBe(401);
    const old = now - 600;
    expect((await post({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(old), 'webhook-signature': await signWebhook(secret, 'msg_1', old, body) })).status).toBe(401);
  });

  it('fails a task the upstream keeps unfinished past the give-up time, after a last query, unbilled', async () => {
    await setUpstreamRules({ rules: [{ probability: 1, fault: 'delay=10m' }], blocked_words: [] });
    try {
      const relay = await startRelay({}, { relayPollDelayMs: () => 50, relayGiveUpAfterMs: 1_500 });
      const created = await relay.api('POST', T2V, { body: { prompt: 'a lighthouse that never finishes', duration: '5' } });
      const taskId = created.json.data.task_id;
      const done = await waitForTask(relay, T2V, taskId, 60_000);
      expect(done.json.data.task_status).toBe('failed');
      expect(done.json.data.task_status_msg).toBe('the upstream did not finish the task within 2 s; it was not billed');
      expect(done.json.data.final_unit_deduction).toBe('0');
      // The upstream still has it, unfinished: kiln gave up on it, it did not make another.
      const mine = (await upstreamTasks(T2V)).filter((t) => t.task_info.external_task_id === `kiln-${taskId}`);
      expect(mine).toHaveLength(1);
      expect(['submitted', 'processing']).toContain(mine[0].task_status);
      // Ended here, so that it holds none of the upstream account's slots in the tests after this one.
      await upstream.api('POST', `/simulator/tasks/${mine[0].task_id}/complete`, { body: {} });
    } finally {
      await setUpstreamRules({ rules: [], blocked_words: [] });
    }
  });

  it('serves relay tenants and simulator tenants side by side; a tenant switched to relay relays its new tasks', async () => {
    const relay = await startRelay();
    const sim = await relay.addTenant('sim', { video: 5 });
    const asSim = { token: sim.api_key };
    const simulated = await relay.api('POST', T2V, { ...asSim, body: { prompt: 'made by the simulator', duration: '5' } });
    const simulatedId = simulated.json.data.task_id;
    expect((await waitForTask(relay, T2V, simulatedId, 60_000, sim.api_key)).json.data.task_status).toBe('succeed');
    expect((await upstreamTasks(T2V)).some((t) => t.task_info.external_task_id === `kiln-${simulatedId}`)).toBe(false);

    const admin = { token: relay.kiln.adminToken };
    const switched = await relay.api('PATCH', '/admin/tenants/sim', { ...admin, body: { engine: 'relay' } });
    expect(switched.json.data.engine).toBe('relay');
    const relayed = await relay.api('POST', T2V, { ...asSim, body: { prompt: 'made upstream', duration: '5' } });
    const relayedId = relayed.json.data.task_id;
    expect((await waitForTask(relay, T2V, relayedId, 60_000, sim.api_key)).json.data.task_status).toBe('succeed');
    expect((await upstreamTasks(T2V)).filter((t) => t.task_info.external_task_id === `kiln-${relayedId}`)).toHaveLength(1);

    const refused = await relay.api('PATCH', '/admin/tenants/sim', { ...admin, body: { engine: 'upstairs' } });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/^engine: must be one of simulator, relay/);
  });

  it('refuses, unbilled, the tasks of a relay tenant on a server whose registry has no upstream', async () => {
    const plain = await startTestServer({ timing: 'instant' });
    relays.push(plain);
    const switched = await plain.api('PATCH', '/admin/tenants/default', { token: plain.kiln.adminToken, body: { engine: 'relay' } });
    expect(switched.json.data.engine).toBe('relay');
    const created = await plain.api('POST', T2V, { body: { prompt: 'nowhere to go', duration: '5' } });
    expect(created.status).toBe(500);
    expect(created.json.code).toBe(5000);
    expect(created.json.message).toMatch(/relay engine, and no upstream carries text2video \(kling-v1\); nothing was billed/);
  });

  it('queues tasks beyond the upstream account\'s concurrency in kiln: no 1303 to clients, at most the limit upstream, tenants served in turn', async () => {
    const upstreamTenant = upstream.creds.tenant_id;
    await updateTenant(upstream.kiln.db, upstreamTenant, { limit_video: 2 });
    // The upstream holds its first tasks until told to finish them, so every other task is waiting in kiln by then,
    // however fast this machine creates them: the order they go upstream in is the relay's choice alone.
    await setUpstreamRules({ rules: [{ family: 'text2video', probability: 1, fault: 'stuck' }], blocked_words: [] });
    try {
      // Polled every half second, so the test does not wait out the growing intervals of the stuck tasks.
      const relay = await startRelay({ concurrency: { video: 2 } }, { relayPollDelayMs: () => 500 });
      const other = await relay.addTenant('second', { video: 10 });
      await relay.api('PATCH', '/admin/tenants/second', { token: relay.kiln.adminToken, body: { engine: 'relay' } });
      const create = async (token: string | undefined, prompt: string) => {
        const res = await relay.api('POST', T2V, { token, body: { prompt, duration: '5' } });
        expect(res.json.code).toBe(0);
        return res.json.data.task_id as string;
      };
      const first: string[] = [];
      for (let i = 1; i <= 6; i++) first.push(await create(undefined, `first tenant, task ${i}`));
      const second = [await create(other.api_key, 'second tenant, task 1'), await create(other.api_key, 'second tenant, task 2')];
      const ours = (t: any) => [...first, ...second].some((id) => t.task_info.external_task_id === `kiln-${id}`);

      // Two went upstream (the first tenant's oldest) and stay there; the six others wait in kiln.
      const deadline = Date.now() + 60_000;
      let sent: any[] = [];
      while ((sent = (await upstreamTasks(T2V)).filter(ours)).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(sent.map((t) => t.task_info.external_task_id).sort()).toEqual([`kiln-${first[0]}`, `kiln-${first[1]}`].sort());
      await setUpstreamRules({ rules: [], blocked_words: [] });
      for (const t of sent) await upstream.api('POST', `/simulator/tasks/${t.task_id}/complete`, { body: {} });

      for (const id of first) expect((await waitForTask(relay, T2V, id, 120_000)).json.data.task_status).toBe('succeed');
      for (const id of second) expect((await waitForTask(relay, T2V, id, 120_000, other.api_key)).json.data.task_status).toBe('succeed');

      // What the upstream saw: when each task arrived and when it ended.
      const seen = new Map<string, { from: number; to: number }>();
      for (const t of await upstreamTasks(T2V)) seen.set(t.task_info.external_task_id, { from: Number(t.created_at), to: Number(t.updated_at) });
      const at = (id: string) => seen.get(`kiln-${id}`)!;
      const all = [...first, ...second].map(at);
      const mostAtOnce = Math.max(...all.map((a) => all.filter((b) => b.from <= a.from && a.from < b.to).length));
      expect(mostAtOnce).toBeLessThanOrEqual(2);
      // Turns alternate between tenants: the second tenant's two tasks, created after all six of the first's, did not
      // wait behind them — its first went before the first tenant's fourth, its second before the sixth. (Not
      // stricter: the relay learns of ends at each poll, so two tasks that end together may free their slots in either
      // order; when both tenants then have nothing upstream, the older task goes first.) And the tasks that waited
      // went in the order they were created (the first two went together, into an empty pool, so either may arrive
      // first).
      expect(at(second[0]).from).toBeLessThan(at(first[3]).from);
      expect(at(second[1]).from).toBeLessThan(at(first[5]).from);
      const order = first.slice(2).map((id) => at(id).from);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    } finally {
      await setUpstreamRules({ rules: [], blocked_words: [] });
      await updateTenant(upstream.kiln.db, upstreamTenant, { limit_video: 1000 });
    }
  }, 240_000);

  it("keeps below an account's real room when it answers 1303 under the configured limit: the limit drops to what it took, the rest wait in kiln", async () => {
    const upstreamTenant = upstream.creds.tenant_id;
    // The account takes two videos at once, though the operator said five (others share it, say).
    await updateTenant(upstream.kiln.db, upstreamTenant, { limit_video: 2 });
    await setUpstreamRules({ rules: [{ family: 'text2video', probability: 1, fault: 'stuck' }], blocked_words: [] });
    const refusals = async () => {
      const text = await (await fetch(`${upstream.url}/metrics`, { headers: { authorization: `Bearer ${upstream.kiln.adminToken}` } })).text();
      return Number(/kiln_http_requests_total\{method="POST",route="\/v1\/videos\/text2video",status_code="429"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    try {
      const relay = await startRelay({ concurrency: { video: 5 } }, { relayPollDelayMs: () => 300 });
      const before = await refusals();
      const ids: string[] = [];
      for (let i = 1; i <= 6; i++) {
        const res = await relay.api('POST', T2V, { body: { prompt: `room for two, task ${i}`, duration: '5' } });
        expect(res.json.code).toBe(0);
        ids.push(res.json.data.task_id);
      }
      const limitNow = async () => (await relay.api('GET', '/admin/upstreams/default', { token: relay.kiln.adminToken })).json.data.concurrency_now.video;
      await expect.poll(limitNow, { timeout: 60_000, interval: 100 }).toBe(2);
      const ours = (t: any) => ids.some((id) => t.task_info.external_task_id === `kiln-${id}`);
      await expect.poll(async () => (await upstreamTasks(T2V)).filter(ours).length, { timeout: 60_000, interval: 100 }).toBe(2);
      // Refused at most once for each slot it did not have; then nothing more is sent while both are taken.
      const refused = (await refusals()) - before;
      expect(refused).toBeGreaterThan(0);
      expect(refused).toBeLessThanOrEqual(3);
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await refusals()) - before).toBe(refused);

      await setUpstreamRules({ rules: [], blocked_words: [] });
      for (const t of (await upstreamTasks(T2V)).filter(ours)) await upstream.api('POST', `/simulator/tasks/${t.task_id}/complete`, { body: {} });
      for (const id of ids) expect((await waitForTask(relay, T2V, id, 120_000)).json.data.task_status).toBe('succeed');
      for (const id of ids) expect((await upstreamTasks(T2V)).filter((t) => t.task_info.external_task_id === `kiln-${id}`)).toHaveLength(1);
    } finally {
      await setUpstreamRules({ rules: [], blocked_words: [] });
      await updateTenant(upstream.kiln.db, upstreamTenant, { limit_video: 1000 });
    }
  }, 240_000);

  it('follows tasks without callbacks by reading the family list, one page for many tasks, never asking task by task', async () => {
    const relay = await startRelay({}, { relayListIntervalMs: 400 });
    const gets = async () => {
      const text = await (await fetch(`${upstream.url}/metrics`, { headers: { authorization: `Bearer ${upstream.kiln.adminToken}` } })).text();
      const count = (route: string) => Number(new RegExp(`kiln_http_requests_total\\{method="GET",route="${route.replace(/\//g, '\\/')}",status_code="200"\\} (\\d+)`).exec(text)?.[1] ?? 0);
      return { list: count('/v1/images/generations'), byId: count('/v1/images/generations/:id') };
    };
    await setUpstreamRules({ rules: [{ family: 'generations', probability: 1, fault: 'delay=1s' }], blocked_words: [] });
    try {
      const before = await gets();
      const started = Date.now();
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await relay.api('POST', '/v1/images/generations', { body: { prompt: `a lantern, number ${i}` } });
        expect(res.json.code).toBe(0);
        ids.push(res.json.data.task_id);
      }
      for (const id of ids) expect((await waitForTask(relay, '/v1/images/generations', id, 60_000)).json.data.task_status).toBe('succeed');
      const elapsed = Date.now() - started;
      const after = await gets();
      // Every task learnt its end from a list page; pages were read no more often than the interval allows.
      expect(after.byId - before.byId).toBe(0);
      const pages = after.list - before.list;
      expect(pages).toBeGreaterThan(0);
      expect(pages).toBeLessThanOrEqual(Math.ceil(elapsed / 400) + 1);
      expect(pages).toBeLessThan(ids.length);
    } finally {
      await setUpstreamRules({ rules: [], blocked_words: [] });
    }
  }, 120_000);

  it("hands the upstream's own URLs through, keeping no copy, for an upstream set to --results passthrough", async () => {
    const relay = await startRelay({ results: 'passthrough' });
    const created = await relay.api('POST', T2V, { body: { prompt: 'handed through', duration: '5' } });
    const done = (await waitForTask(relay, T2V, created.json.data.task_id, 60_000)).json.data;
    expect(done.task_status).toBe('succeed');
    const mine = (await upstreamTasks(T2V)).filter((t) => t.task_info.external_task_id === `kiln-${done.task_id}`);
    const original = (await upstream.api('GET', `${T2V}/${mine[0].task_id}`)).json.data.task_result.videos[0];
    expect(done.task_result.videos[0].url).toBe(original.url);
    expect((await fetch(done.task_result.videos[0].url)).status).toBe(200);
    // Nothing of the task's is in the relay's storage.
    const folder = path.join(relay.dataDir, 'media', done.task_id);
    expect(fs.existsSync(folder) ? fs.readdirSync(folder) : []).toEqual([]);
  });
});
