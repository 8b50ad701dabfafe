// The relay killed with SIGKILL at the worst moments, then started again on the same data directory: mid-dispatch
// (the upstream made the tasks, their answers never reached the relay) and mid-archive (the relay was downloading a
// result). Every task ends once, made once upstream, its result kept, its tenant charged once. And a result URL that
// fails for a while is read again until it answers.
// The relay runs as its own process (`npm start`, configured by the environment as an operator would); the
// upstream is a simulator kiln behind a proxy that can hold what the test needs held.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';
import { startTestServer, tempDir, waitForTask, type TestServer } from './helpers/test-server.ts';

const T2V = '/v1/videos/text2video';
const API_KEY = 'kiln-crash-test-key-000000000000000000';
const ADMIN = 'kiln-crash-test-admin-000000000000000000';

/** A forwarding proxy that can hold creates (after the upstream made them) and result downloads (before), or fail downloads. */
async function holdingProxy() {
  const held: http.ServerResponse[] = [];
  const state = { target: '', holdCreates: false, holdMedia: false, createsHeld: 0, mediaHeld: 0, failMedia: 0, mediaFailed: 0 };
  const server = http.createServer(async (req, res) => {
    if (state.failMedia > 0 && req.url?.startsWith('/media/')) {
      state.failMedia--;
      state.mediaFailed++;
      res.writeHead(500, { 'content-type': 'text/plain' }).end('the CDN is having a moment');
      return;
    }
    if (state.holdMedia && req.url?.startsWith('/media/')) {
      state.mediaHeld++;
      held.push(res);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
    const answer = await fetch(state.target + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const body = Buffer.from(await answer.arrayBuffer());
    if (state.holdCreates && req.method === 'POST' && req.url === T2V) {
      state.createsHeld++;
      held.push(res);
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Lets go of everything held: the connections are cut, as a dead relay's would be. */
    release: () => held.splice(0).forEach((r) => r.destroy()),
    close: () => new Promise<void>((resolve) => {
      held.splice(0).forEach((r) => r.destroy());
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

let upstream: TestServer;
let proxy: Awaited<ReturnType<typeof holdingProxy>>;
const dataDir = tempDir('kiln-relay-crash-');

beforeAll(async () => {
  proxy = await holdingProxy();
  // The upstream's result URLs go through the proxy too, so a download can be held.
  upstream = await startTestServer({ timing: 'instant', publicUrl: proxy.url });
  proxy.state.target = upstream.url;
});
afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
});

const relayEnv = () => ({ KILN_UPSTREAM_URL: proxy.url, KILN_UPSTREAM_API_KEY: upstream.creds.api_key, KILN_TIMING: 'instant', KILN_ADMIN_TOKEN: ADMIN });

async function api(relay: ServerProcess, method: string, route: string, body?: unknown, token = API_KEY) {
  const res = await fetch(`http://127.0.0.1:${relay.port}${route}`, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as any;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function killed(relay: ServerProcess): Promise<void> {
  const exited = new Promise((resolve) => relay.child.once('exit', resolve));
  relay.child.kill('SIGKILL');
  await exited;
}

const upstreamCopies = async (id: string) =>
  ((await upstream.api('GET', `${T2V}?pageNum=1&pageSize=500`)).json.data as any[]).filter((t) => t.task_info.external_task_id === `kiln-${id}`);

const succeeded = (relay: ServerProcess, id: string) =>
  until(`task ${id} to succeed`, async () => {
    const task = (await api(relay, 'GET', `${T2V}/${id}`)).data;
    if (task.task_status === 'failed') throw new Error(`task ${id} failed: ${task.task_status_msg}`);
    return task.task_status === 'succeed' ? task : undefined;
  });

const remainingUnits = async (relay: ServerProcess) =>
  ((await api(relay, 'GET', '/admin/tenants/default', undefined, ADMIN)).data.packs as any[]).reduce((n, p) => n + p.remaining_units, 0);

it('makes each task once upstream, keeps its result and charges it once, though the relay is killed mid-dispatch and mid-archive', async () => {
  let relay = await startServerProcess(dataDir, API_KEY, relayEnv());
  expect(relay.listening, relay.output).toBe(true);
  const unitsBefore = await remainingUnits(relay);

  // Mid-dispatch: the upstream has made the tasks; the relay dies before their answers arrive.
  proxy.state.holdCreates = true;
  const ids: string[] = [];
  for (let i = 1; i <= 3; i++) ids.push((await api(relay, 'POST', T2V, { prompt: `dispatched, then killed ${i}`, duration: '5' })).data.task_id);
  await until('the upstream to make all three', () => proxy.state.createsHeld === 3);
  await killed(relay);
  proxy.state.holdCreates = false;
  proxy.release();

  relay = await startServerProcess(dataDir, API_KEY, relayEnv());
  expect(relay.listening, relay.output).toBe(true);
  const done = await Promise.all(ids.map((id) => succeeded(relay, id)));
  for (const id of ids) expect(await upstreamCopies(id)).toHaveLength(1);

  // Mid-archive: the relay is downloading the result when it dies.
  proxy.state.holdMedia = true;
  const archived = (await api(relay, 'POST', T2V, { prompt: 'archived, then killed', duration: '5' })).data.task_id as string;
  await until('the relay to start downloading the result', () => proxy.state.mediaHeld > 0);
  await killed(relay);
  proxy.state.holdMedia = false;
  proxy.release();

  relay = await startServerProcess(dataDir, API_KEY, relayEnv());
  expect(relay.listening, relay.output).toBe(true);
  const last = await succeeded(relay, archived);
  const [copy] = await upstreamCopies(archived);
  expect(await upstreamCopies(archived)).toHaveLength(1);
  const original = (await upstream.api('GET', `${T2V}/${copy.task_id}`)).json.data.task_result.videos[0].url as string;
  const [kept, made] = await Promise.all([last.task_result.videos[0].url, original].map(async (u: string) => Buffer.from(await (await fetch(u)).arrayBuffer())));
  expect(last.task_result.videos[0].url.startsWith(`http://127.0.0.1:${relay.port}`)).toBe(true);
  expect(kept.equals(made)).toBe(true);

  // Charged once per task: what the four tasks cost, and nothing more.
  const charged = [...done, last].reduce((n, t) => n + Number(t.final_unit_deduction), 0);
  expect(charged).toBeGreaterThan(0);
  expect(await remainingUnits(relay)).toBeCloseTo(unitsBefore - charged, 6);
}, 240_000);

it("reads a result URL that answered 500 again later, keeping the result once it answers; one that keeps failing ends the task unbilled, saying why", async () => {
  const relay = await startTestServer({
    timing: 'instant', relayPollDelayMs: () => 100, relayListIntervalMs: 100,
    upstream: { name: 'default', baseUrl: proxy.url, pathStyle: 'official', apiKey: upstream.creds.api_key },
  });
  try {
    proxy.state.failMedia = 2;
    const created = await relay.api('POST', T2V, { body: { prompt: 'a flaky CDN', duration: '5' } });
    const done = (await waitForTask(relay, T2V, created.json.data.task_id, 60_000)).json.data;
    expect(done.task_status, done.task_status_msg).toBe('succeed');
    expect(proxy.state.mediaFailed).toBe(2);
    const [copy] = await upstreamCopies(done.task_id);
    const original = (await upstream.api('GET', `${T2V}/${copy.task_id}`)).json.data.task_result.videos[0].url as string;
    const [kept, made] = await Promise.all([done.task_result.videos[0].url as string, original].map(async (u) => Buffer.from(await (await fetch(u)).arrayBuffer())));
    expect(kept.equals(made)).toBe(true);

    proxy.state.failMedia = 1_000;
    const doomed = await relay.api('POST', T2V, { body: { prompt: 'a CDN that never recovers', duration: '5' } });
    const failed = (await waitForTask(relay, T2V, doomed.json.data.task_id, 60_000)).json.data;
    expect(failed.task_status).toBe('failed');
    expect(failed.task_status_msg).toMatch(/^the upstream's result could not be kept \(HTTP 500 from 127\.0\.0\.1:\d+\); the task was not billed$/);
    expect(failed.final_unit_deduction).toBe('0');
  } finally {
    proxy.state.failMedia = 0;
    await relay.close();
  }
});
