// The console's HTTP side without a browser: sign-in sessions (cookie attributes, CSRF, sign-out, revocation), tenant
// isolation of every console endpoint, ETag polling, callback replay and the test callback's rate limit, the operator
// endpoints, and their place in openapi.json.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '@kiln/contract';
import { signingSecrets } from '../packages/server/src/store/webhook-secrets.ts';
import { startCallbackReceiver, type CallbackReceiver } from './helpers/callback-receiver.ts';
import { startTestServer, waitForTask, type ApiAnswer, type TestServer } from './helpers/test-server.ts';

const T2V = '/v1/videos/text2video';
const CSRF = { 'x-kiln-console': '1' };

let server: TestServer;
let receiver: CallbackReceiver;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startCallbackReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

/** Signs in and answers the cookie header to send back, and the Set-Cookie kiln answered. */
async function signIn(body: Record<string, string>): Promise<{ cookie: string; setCookie: string; answer: ApiAnswer }> {
  const answer = await server.api('POST', '/console/session', { token: null, body });
  const setCookie = answer.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0], setCookie, answer };
}

/** A request with the console cookie instead of an Authorization header. */
const withCookie = (cookie: string, method: string, route: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
  server.api(method, route, { token: null, body: options.body, headers: { cookie, ...options.headers } });

async function finishedTask(token: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await server.api('POST', T2V, { token, body: { prompt: 'console api', duration: '5', ...extra } });
  expect(created.status).toBe(200);
  const id = created.json.data.task_id as string;
  await waitForTask(server, T2V, id, 30_000, token);
  return id;
}

describe('console sessions', () => {
  it('sets an HttpOnly, SameSite=Strict cookie for a valid API key and refuses a wrong one', async () => {
    const { setCookie, answer } = await signIn({ api_key: server.creds.api_key });
    expect(answer.json.data).toMatchObject({ role: 'tenant', tenant: { id: server.creds.tenant_id, name: server.creds.name } });
    expect(setCookie).toMatch(/^kiln_console=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200/);
    const wrong = await signIn({ api_key: 'kiln_not-a-key' });
    expect(wrong.answer.status).toBe(401);
    expect(wrong.answer.json.code).toBe(1002);
    expect(wrong.setCookie).toBe('');
    const empty = await signIn({});
    expect(empty.answer.status).toBe(400);
    expect(empty.answer.json.message).toContain('api_key');
  });

  it('signs in with an access key and secret key, but not with a wrong secret', async () => {
    const good = await signIn({ access_key: server.creds.access_key, secret_key: server.creds.secret_key });
    expect(good.answer.json.data.role).toBe('tenant');
    expect((await withCookie(good.cookie, 'GET', '/kiln/tasks')).status).toBe(200);
    const bad = await signIn({ access_key: server.creds.access_key, secret_key: 'x'.repeat(32) });
    expect(bad.answer.status).toBe(401);
  });

  it('authenticates the Kling API by the cookie, and needs the console header to change anything with it', async () => {
    const { cookie } = await signIn({ api_key: server.creds.api_key });
    const body = { prompt: 'from a cookie', duration: '5' };
    const forged = await withCookie(cookie, 'POST', T2V, { body });
    expect(forged.status).toBe(403);
    expect(forged.json.message).toContain('x-kiln-console');
    const elsewhere = await withCookie(cookie, 'POST', T2V, { body, headers: { ...CSRF, origin: 'http://evil.example' } });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json.message).toContain('origin');
    const real = await withCookie(cookie, 'POST', T2V, { body, headers: { ...CSRF, origin: server.url } });
    expect(real.status).toBe(200);
    expect((await withCookie(cookie, 'GET', `${T2V}/${real.json.data.task_id}`)).json.data.task_id).toBe(real.json.data.task_id);
  });

  it('ends the session on sign-out', async () => {
    const { cookie } = await signIn({ api_key: server.creds.api_key });
    expect((await withCookie(cookie, 'GET', '/console/session')).status).toBe(200);
    expect((await withCookie(cookie, 'DELETE', '/console/session')).status).toBe(403);
    const out = await withCookie(cookie, 'DELETE', '/console/session', { headers: CSRF });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    const after = await withCookie(cookie, 'GET', '/kiln/tasks');
    expect(after.status).toBe(401);
    expect(after.json.message).toContain('session has ended');
  });

  it('ends every session signed in with a key when that key is revoked', async () => {
    const owner = await signIn({ api_key: server.creds.api_key });
    const made = await withCookie(owner.cookie, 'POST', '/kiln/keys', { body: { name: 'short-lived' }, headers: CSRF });
    expect(made.status).toBe(200);
    const session = await signIn({ api_key: made.json.data.api_key });
    expect((await withCookie(session.cookie, 'GET', '/kiln/tasks')).status).toBe(200);
    const listed = await withCookie(owner.cookie, 'GET', '/kiln/keys');
    expect(JSON.stringify(listed.json.data)).not.toContain(made.json.data.api_key);
    expect((await withCookie(owner.cookie, 'DELETE', '/kiln/keys/short-lived', { headers: CSRF })).status).toBe(200);
    expect((await withCookie(session.cookie, 'GET', '/kiln/tasks')).status).toBe(401);
    // The key the owner signed in with is another one: its session goes on.
    expect((await withCookie(owner.cookie, 'GET', '/kiln/tasks')).status).toBe(200);
  });
});

describe('tenant isolation', () => {
  it('shows a tenant only its own tasks, attempts and usage, by cookie and by key', async () => {
    const other = await server.addTenant('isolated');
    const mine = await finishedTask(server.creds.api_key, { callback_url: receiver.url });
    const theirs = await finishedTask(other.api_key, { callback_url: receiver.url });
    const { cookie } = await signIn({ api_key: other.api_key });

    const list = await withCookie(cookie, 'GET', '/kiln/tasks?page_size=200');
    const ids = list.json.data.tasks.map((t: { task_id: string }) => t.task_id);
    expect(ids).toEqual([theirs]);
    for (const route of [`/kiln/tasks/${mine}`, `/kiln/tasks/${mine}/callback-attempts`]) {
      const res = await withCookie(cookie, 'GET', route);
      expect(res.status).toBe(400);
      expect(res.json.message).toContain(mine);
    }
    await receiver.waitFor((all) => all.some((c) => c.body.includes(mine) && c.body.includes('"succeed"')));
    await expect.poll(async () => (await server.api('GET', `/kiln/tasks/${mine}/callback-attempts`)).json.data.length).toBeGreaterThan(0);
    const myAttempt = (await server.api('GET', `/kiln/tasks/${mine}/callback-attempts`)).json.data[0];
    const replay = await withCookie(cookie, 'POST', `/kiln/callback-attempts/${myAttempt.id}/replay`, { headers: CSRF });
    expect(replay.status).toBe(404);
    const recent = await server.api('GET', '/kiln/callback-attempts', { token: other.api_key });
    expect(recent.json.data.every((a: { task_id: string }) => a.task_id === theirs)).toBe(true);
    const usage = await server.api('GET', '/kiln/usage?days=1', { token: other.api_key });
    expect(usage.json.data.total).toBe(1.5);
  });

  it('keeps the operator endpoints from tenants, and shows the operator every tenant', async () => {
    const tenant = await signIn({ api_key: server.creds.api_key });
    expect((await withCookie(tenant.cookie, 'GET', '/admin/tasks')).status).toBe(403);
    expect((await withCookie(tenant.cookie, 'GET', '/admin/tenants')).status).toBe(403);
    expect((await server.api('GET', '/admin/system')).status).toBe(401);
    const operator = await signIn({ admin_token: server.kiln.adminToken });
    expect(operator.answer.json.data).toMatchObject({ role: 'operator', tenant: null });
    const all = await withCookie(operator.cookie, 'GET', '/admin/tasks?page_size=200');
    expect(new Set(all.json.data.tasks.map((t: { tenant_id: string }) => t.tenant_id)).size).toBeGreaterThan(1);
    const one = await withCookie(operator.cookie, 'GET', `/admin/tasks?tenant_id=${server.creds.tenant_id}`);
    expect(one.json.data.tasks.every((t: { tenant_id: string }) => t.tenant_id === server.creds.tenant_id)).toBe(true);
    expect((await withCookie(operator.cookie, 'GET', '/admin/tenants')).status).toBe(200);
    const system = (await withCookie(operator.cookie, 'GET', '/admin/system')).json.data;
    expect(system.tenants).toBeGreaterThan(1);
    // The finished tasks' videos are in the data directory: the page counts them (a count at most a minute old).
    expect(system.storage).toEqual({ backend: 'local', objects: expect.any(Number), bytes: expect.any(Number), measured_at: expect.any(Number) });
    expect(system.storage.objects).toBeGreaterThan(0);
    expect(system.storage.bytes).toBeGreaterThan(20_000); // a 5 s video alone is about 29 KB
    // An operator session is not a tenant: the Kling API needs a tenant's key.
    expect((await withCookie(operator.cookie, 'GET', `${T2V}/1`)).status).toBe(403);
  });
});

describe('task lists and callbacks', () => {
  it('answers 304 to a poll while nothing listed changed, and a new tag once something did', async () => {
    const first = await server.api('GET', '/kiln/tasks?page_size=5');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const same = await server.api('GET', '/kiln/tasks?page_size=5', { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    await finishedTask(server.creds.api_key);
    const changed = await server.api('GET', '/kiln/tasks?page_size=5', { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('filters, searches and pages the list, and names a bad filter', async () => {
    const id = await finishedTask(server.creds.api_key, { external_task_id: 'search-me-42' });
    const found = await server.api('GET', '/kiln/tasks?q=search-me');
    expect(found.json.data.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([id]);
    expect((await server.api('GET', `/kiln/tasks?q=${id}`)).json.data.tasks[0].external_task_id).toBe('search-me-42');
    expect((await server.api('GET', '/kiln/tasks?family=image2video')).json.data.tasks).toEqual([]);
    const pageOne = await server.api('GET', '/kiln/tasks?page_size=1&status=succeed');
    const pageTwo = await server.api('GET', `/kiln/tasks?page_size=1&status=succeed&before=${pageOne.json.data.next_before}`);
    expect(pageTwo.json.data.tasks[0].created_at).toBeLessThanOrEqual(pageOne.json.data.tasks[0].created_at);
    expect(pageTwo.json.data.tasks[0].task_id).not.toBe(pageOne.json.data.tasks[0].task_id);
    for (const [query, field] of [['status=done', 'status'], ['family=nope', 'family'], ['page_size=0', 'page_size'], ['before=x', 'before']]) {
      const res = await server.api('GET', `/kiln/tasks?${query}`);
      expect(res.status).toBe(400);
      expect(res.json.message).toContain(field);
    }
  });

  it('shows a task with its request, Kling answer and timeline', async () => {
    const id = await finishedTask(server.creds.api_key);
    const detail = (await server.api('GET', `/kiln/tasks/${id}`)).json.data;
    expect(detail.request.prompt).toBe('console api');
    expect(detail.answer).toEqual((await server.api('GET', `${T2V}/${id}`)).json.data);
    expect(detail.timeline.map((s: { status: string }) => s.status)).toEqual(['submitted', 'processing', 'succeed']);
    expect(detail.summary.duration).toBe(5);
  });

  it('replays an event with its webhook-id and body, recorded as a new attempt', async () => {
    const id = await finishedTask(server.creds.api_key, { callback_url: receiver.url });
    await expect.poll(async () => (await server.api('GET', `/kiln/tasks/${id}/callback-attempts`)).json.data.length).toBe(2);
    const [latest] = (await server.api('GET', `/kiln/tasks/${id}/callback-attempts`)).json.data;
    const before = receiver.received.length;
    const replay = await server.api('POST', `/kiln/callback-attempts/${latest.id}/replay`, { body: {} });
    expect(replay.json.data).toMatchObject({ queued: true, event_id: latest.event_id });
    await receiver.waitFor((all) => all.length > before);
    const sent = receiver.received[before];
    expect(sent.headers['webhook-id']).toBe(latest.event_id);
    expect(sent.body).toBe(latest.body);
    await expect.poll(async () => (await server.api('GET', `/kiln/tasks/${id}/callback-attempts`)).json.data[0].trigger).toBe('replay');
  });

  it('sends a signed test callback, at most one every six seconds', async () => {
    const tenant = await server.addTenant('tester');
    const sent = await server.api('POST', '/kiln/callbacks/test', { token: tenant.api_key, body: { url: receiver.url } });
    expect(sent.json.data).toMatchObject({ trigger: 'test', http_status: 200 });
    expect(receiver.received.at(-1)!.headers['webhook-signature']).toBe(sent.json.data.signature);
    const again = await server.api('POST', '/kiln/callbacks/test', { token: tenant.api_key, body: { url: receiver.url } });
    expect(again.status).toBe(429);
    expect(again.json.code).toBe(1302);
    const bad = await server.api('POST', '/kiln/callbacks/test', { token: tenant.api_key, body: { url: 'ftp://x' } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('url');
  });

  it('rotates the webhook secret: callbacks are signed by the new and the old secret for 7 days, then by the new', async () => {
    const tenant = await server.addTenant('rotating');
    const old = tenant.webhook_secret!;
    const rotated = await server.api('POST', '/kiln/webhook-secret/rotate', { token: tenant.api_key, body: {} });
    const fresh = rotated.json.data.webhook_secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    const sevenDays = rotated.json.data.previous_secret_valid_until - Date.now();
    expect(sevenDays).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(sevenDays).toBeLessThanOrEqual(7 * 86_400_000);

    const id = await finishedTask(tenant.api_key, { callback_url: receiver.url });
    const calls = await receiver.waitFor((all) => all.some((c) => c.body.includes(id) && c.body.includes('"succeed"')));
    const call = calls.find((c) => c.body.includes(id) && c.body.includes('"succeed"'))!;
    const headers = { id: String(call.headers['webhook-id']), timestamp: String(call.headers['webhook-timestamp']), signature: String(call.headers['webhook-signature']) };
    expect(headers.signature.split(' ')).toHaveLength(2);
    expect(await verifyWebhookSignature(fresh, headers, call.body)).toBe(true);
    expect(await verifyWebhookSignature(old, headers, call.body)).toBe(true);
    // Past the grace period only the new secret signs.
    expect(await signingSecrets(server.kiln.db, tenant.tenant_id, Date.now() + 7 * 86_400_000 + 1)).toEqual([fresh]);
  });

  it("shows a relayed task's upstream account, upstream task id and external id, and the upstream on the system page", async () => {
    const relay = await startTestServer({ upstream: { name: 'kling-main', baseUrl: server.url, pathStyle: 'official', apiKey: server.creds.api_key } });
    try {
      const created = await relay.api('POST', T2V, { body: { prompt: 'relayed', duration: '5' } });
      const id = created.json.data.task_id;
      await waitForTask(relay, T2V, id);
      const detail = (await relay.api('GET', `/kiln/tasks/${id}`)).json.data;
      expect(detail.engine).toBe('relay');
      const upstreamTask = (await server.api('GET', `${T2V}/${detail.relay.upstream_task_id}`)).json.data;
      expect(detail.relay).toEqual({ upstream: 'kling-main', upstream_task_id: upstreamTask.task_id, external_task_id: `kiln-${id}` });
      expect(upstreamTask.task_info.external_task_id).toBe(`kiln-${id}`);
      expect((await server.api('GET', `/kiln/tasks/${upstreamTask.task_id}`)).json.data.relay).toBeNull();
      const system = (await relay.api('GET', '/admin/system', { token: relay.kiln.adminToken })).json.data;
      const healthy = { state: 'healthy', failures: 0, open_until: null, reason: null };
      const idle = { held: 0, waiting: 0 };
      const slots = { video: idle, image: idle, 'try-on': idle };
      expect(system.upstreams).toEqual([{ name: 'kling-main', base_url: server.url, path_style: 'official', priority: 0, concurrency: {}, concurrency_now: {}, slots, last_hour: { succeeded: 1, failed: 0 }, health: healthy }]);
      expect(system.processes).toEqual([expect.objectContaining({ pid: process.pid, this: true })]);
      expect(JSON.stringify(system)).not.toContain(server.creds.api_key);
      // An upstream added while the server runs is on the page at once.
      const added = await relay.api('POST', '/admin/upstreams', {
        token: relay.kiln.adminToken, body: { name: 'reseller', base_url: 'https://reseller.example', path_style: 'kling', api_key: 'sk-reseller' },
      });
      expect(added.json.code, added.json.message).toBe(0);
      const after = (await relay.api('GET', '/admin/system', { token: relay.kiln.adminToken })).json.data;
      expect(after.upstreams).toContainEqual({ name: 'reseller', base_url: 'https://reseller.example', path_style: 'kling', priority: 0, concurrency: {}, concurrency_now: {}, slots, last_hour: { succeeded: 0, failed: 0 }, health: healthy });
      expect(JSON.stringify(after)).not.toContain('sk-reseller');
      expect(system.tasks).toContainEqual({ engine: 'relay', status: 'succeed', tasks: 1 });
    } finally {
      await relay.close();
    }
  });

  it('documents every console endpoint in openapi.json', async () => {
    const paths = Object.keys((await server.api('GET', '/openapi.json')).json.paths);
    for (const path of ['/console/session', '/kiln/tasks', '/kiln/tasks/{id}', '/kiln/tasks/{id}/callback-attempts', '/kiln/callback-attempts',
      '/kiln/callback-attempts/{attempt_id}/replay', '/kiln/callbacks/test', '/kiln/usage', '/kiln/concurrency', '/kiln/keys', '/kiln/keys/{name}', '/kiln/webhook-secret/rotate',
      '/admin/tasks', '/admin/tasks/{id}', '/admin/tasks/{id}/callback-attempts', '/admin/system']) {
      expect(paths).toContain(path);
    }
  });
});
