// Failover between upstream accounts: a relay kiln in front of two simulator kilns, the preferred one (alpha) behind
// a proxy that can take it off the network. An account that is down or blocked gets its breaker opened, tasks not yet
// there go to the other account, a task that may already exist there waits for it, and nothing is made twice.

import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

const T2V = '/v1/videos/text2video';

/** A TCP proxy to `target` that can stop listening (connections refused, open ones cut) and listen again. */
async function switchableProxy(target: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    down: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
    up: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (server.listening) server.close(() => resolve());
      else resolve();
    }),
  };
}

let relay: TestServer;
let alpha: TestServer;
let beta: TestServer;
let alphaLink: Awaited<ReturnType<typeof switchableProxy>>;

beforeAll(async () => {
  [alpha, beta] = await Promise.all([startTestServer({ timing: 'instant' }), startTestServer({ timing: 'instant' })]);
  alphaLink = await switchableProxy(Number(new URL(alpha.url).port));
  relay = await startTestServer({
    timing: 'instant',
    relayPollDelayMs: () => 200,
    relayListIntervalMs: 200,
    relayBreaker: { failuresToOpen: 3, cooldownMs: 1_000, maxCooldownMs: 2_000, accountCooldownMs: 60_000 },
  });
  const admin = (method: string, route: string, body?: unknown) => relay.api(method, route, { token: relay.kiln.adminToken, body });
  await admin('PATCH', '/admin/tenants/default', { engine: 'relay' });
  // alpha is preferred and takes one video at a time: the rest of a burst waits its turn in kiln.
  const added = await admin('POST', '/admin/upstreams', { name: 'alpha', base_url: alphaLink.url, api_key: alpha.creds.api_key, priority: 10, concurrency: { video: 1 } });
  expect(added.json.data.health).toEqual({ state: 'healthy', failures: 0, open_until: null, reason: null });
  await admin('POST', '/admin/upstreams', { name: 'beta', base_url: beta.url, api_key: beta.creds.api_key });
});
afterAll(async () => {
  await relay?.close();
  await alphaLink?.close();
  await Promise.all([alpha?.close(), beta?.close()]);
});

const health = async (name: string) => (await relay.api('GET', `/admin/upstreams/${name}`, { token: relay.kiln.adminToken })).json.data.health;

async function relayed(prompt: string): Promise<string> {
  const created = await relay.api('POST', T2V, { body: { prompt, duration: '5' } });
  expect(created.json.code, created.json.message).toBe(0);
  return created.json.data.task_id;
}

/** How many upstream tasks each account holds for a kiln task (by the external id the relay derives from its id). */
async function copies(taskId: string): Promise<{ alpha: number; beta: number }> {
  const count = async (upstream: TestServer) =>
    ((await upstream.api('GET', `${T2V}?pageNum=1&pageSize=500`)).json.data as any[]).filter((t) => t.task_info.external_task_id === `kiln-${taskId}`).length;
  return { alpha: await count(alpha), beta: await count(beta) };
}

const succeeded = async (id: string) => (await waitForTask(relay, T2V, id, 60_000)).json.data.task_status;

describe('failover between upstream accounts', () => {
  it('sends tasks waiting for an account that is down to the other; the one that may be there waits for it, and its breaker closes when it answers', async () => {
    await alphaLink.down();
    const first = await relayed('sent to alpha while it is down');
    const rest = [await relayed('queued behind it, 1'), await relayed('queued behind it, 2'), await relayed('queued behind it, 3')];
    // The queued tasks had not been sent: they move to beta once alpha's breaker opens.
    for (const id of rest) expect(await succeeded(id)).toBe('succeed');
    for (const id of rest) expect(await copies(id)).toEqual({ alpha: 0, beta: 1 });
    const during = await health('alpha');
    expect(['open', 'probing']).toContain(during.state);
    expect(during.failures).toBeGreaterThanOrEqual(3);
    expect(during.reason).toMatch(/connect|ECONNREFUSED|fetch failed/i);
    // The first task may exist on alpha (its create could have gone out): it stays, unfinished, and goes nowhere else.
    expect((await relay.api('GET', `${T2V}/${first}`)).json.data.task_status).toBe('submitted');
    expect(await copies(first)).toEqual({ alpha: 0, beta: 0 });

    await alphaLink.up();
    expect(await succeeded(first)).toBe('succeed');
    expect(await copies(first)).toEqual({ alpha: 1, beta: 0 });
    expect(await health('alpha')).toEqual({ state: 'healthy', failures: 0, open_until: null, reason: null });
    // Healthy again, alpha (the higher priority) gets new tasks.
    const after = await relayed('after the outage');
    expect(await succeeded(after)).toBe('succeed');
    expect(await copies(after)).toEqual({ alpha: 1, beta: 0 });
  });

  it('carries synchronous calls the same way: an account that is down is skipped, its breaker opens, and a call closes it when it answers again', async () => {
    const ttsServed = async (upstream: TestServer) => {
      const text = await (await fetch(`${upstream.url}/metrics`, { headers: { authorization: `Bearer ${upstream.kiln.adminToken}` } })).text();
      return Number(/kiln_http_requests_total\{method="POST",route="\/v1\/audio\/tts",status_code="200"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const speak = async (text: string) => {
      const res = await relay.api('POST', '/v1/audio/tts', { body: { text, voice_id: 'oversea_male1', voice_language: 'en' } });
      expect(res.json.code, res.json.message).toBe(0);
      expect(res.json.data.task_result.audios[0].url.startsWith(relay.url)).toBe(true);
    };
    await alphaLink.down();
    const betaBefore = await ttsServed(beta);
    // alpha is preferred, but down: each call is answered by beta, and alpha's failures count.
    for (let i = 1; i <= 3; i++) await speak(`while alpha is down, ${i}`);
    expect(await ttsServed(beta)).toBe(betaBefore + 3);
    // Each refused call is retried by the client a few times first, so the 1 s cooldown here may already be over.
    const open = await health('alpha');
    expect(['open', 'probing']).toContain(open.state);
    expect(open.failures).toBe(3);
    expect(open.reason).toMatch(/connect|ECONNREFUSED|fetch failed/i);

    await alphaLink.up();
    const alphaBefore = await ttsServed(alpha);
    // Once the cooldown has passed, the next call probes alpha, and its answer closes the breaker.
    while ((await health('alpha')).state === 'open') await new Promise((resolve) => setTimeout(resolve, 100));
    await speak('alpha is back');
    expect(await ttsServed(alpha)).toBe(alphaBefore + 1);
    expect(await health('alpha')).toEqual({ state: 'healthy', failures: 0, open_until: null, reason: null });
  });

  it('moves a task whose create the account refused for its own sake (1102) to the other account, and leaves that account alone', async () => {
    const rules = (list: unknown[]) => alpha.api('PUT', '/admin/simulator/rules', { token: alpha.kiln.adminToken, body: { rules: list, blocked_words: [] } });
    await rules([{ family: 'text2video', probability: 1, fault: 'error=1102' }]);
    try {
      const refused = await relayed('alpha has no packs left');
      expect(await succeeded(refused)).toBe('succeed');
      expect(await copies(refused)).toEqual({ alpha: 0, beta: 1 });
      const blocked = await health('alpha');
      expect(blocked.state).toBe('open');
      expect(blocked.reason).toMatch(/^1102 /);
      // While it is open, new tasks go straight to beta: alpha is not asked again.
      const next = await relayed('while alpha is blocked');
      expect(await succeeded(next)).toBe('succeed');
      expect(await copies(next)).toEqual({ alpha: 0, beta: 1 });
      expect((await health('alpha')).failures).toBe(blocked.failures);
    } finally {
      await rules([]);
    }
  });
});
