// The relay under a burst: 300 image tasks from two tenants through a relay to an upstream account that takes 5 at a
// time and says so only by answering 1303. No client sees a 1303; the upstream never holds more than 5; each
// tenant's tasks reach the upstream in the order they were made; and the tenant that came second is served in turn
// with the first, not after all of its tasks.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';
import { updateTenant } from '../packages/server/src/store/tenants.ts';

const GEN = '/v1/images/generations';
const FIRST = 200;
const SECOND = 100;
const UPSTREAM_LIMIT = 5;

let upstream: TestServer;
let relay: TestServer;

beforeAll(async () => {
  upstream = await startTestServer({ timing: 'instant' });
  // Room for five one-image tasks at once: a sixth is refused with 1303.
  await updateTenant(upstream.kiln.db, upstream.creds.tenant_id, { limit_image: UPSTREAM_LIMIT });
  relay = await startTestServer({
    timing: 'instant',
    // No concurrency figure: the relay learns the account's room from its 1303s alone.
    upstream: { name: 'default', baseUrl: upstream.url, pathStyle: 'official', apiKey: upstream.creds.api_key },
    relayListIntervalMs: 200,
    relayPollDelayMs: () => 200,
  });
}, 60_000);

afterAll(async () => {
  await relay?.close();
  await upstream?.close();
});

describe('a burst of 300 tasks at an upstream limit of 5', () => {
  it('queues in kiln: no 1303 to clients, at most 5 upstream, FIFO per tenant, the second tenant served in turn', async () => {
    const second = await relay.addTenant('second', { image: 1000 });
    await relay.api('PATCH', '/admin/tenants/second', { token: relay.kiln.adminToken, body: { engine: 'relay' } });
    const create = async (token: string | undefined, i: number) => {
      const res = await relay.api('POST', GEN, { token, body: { prompt: `burst ${i}`, n: 1, aspect_ratio: '1:1' } });
      expect([res.status, res.json.code, res.json.message]).toEqual([200, 0, 'SUCCEED']);
      return res.json.data.task_id as string;
    };
    const first: string[] = [];
    for (let i = 0; i < FIRST; i++) first.push(await create(undefined, i));
    const later: string[] = [];
    for (let i = 0; i < SECOND; i++) later.push(await create(second.api_key, FIRST + i));

    for (const id of first) expect((await waitForTask(relay, GEN, id, 300_000)).json.data.task_status).toBe('succeed');
    for (const id of later) expect((await waitForTask(relay, GEN, id, 300_000, second.api_key)).json.data.task_status).toBe('succeed');

    // What the upstream saw: one task per kiln task, when each arrived and ended.
    const listed = (await upstream.api('GET', `${GEN}?pageNum=1&pageSize=500`)).json.data as any[];
    const seen = new Map<string, { from: number; to: number }>();
    for (const t of listed) {
      expect(seen.has(t.task_info.external_task_id)).toBe(false);
      seen.set(t.task_info.external_task_id, { from: Number(t.created_at), to: Number(t.updated_at) });
    }
    const at = (id: string) => seen.get(`kiln-${id}`)!;
    expect([...first, ...later].filter((id) => !at(id))).toEqual([]);
    const all = [...first, ...later].map(at);
    const mostAtOnce = Math.max(...all.map((a) => all.filter((b) => b.from <= a.from && a.from < b.to).length));
    expect(mostAtOnce).toBeLessThanOrEqual(UPSTREAM_LIMIT);

    // FIFO per tenant: each tenant's tasks arrived upstream in the order they were made.
    for (const ids of [first, later]) {
      const arrivals = ids.map((id) => at(id).from);
      const outOfOrder = arrivals.filter((t, i) => i > 0 && t < arrivals[i - 1]).length;
      expect(outOfOrder).toBe(0);
    }
    // In turn: by the time the second tenant's last task went upstream, the first still had many of its own waiting
    // (one queue for both would leave none; strict alternation about 80, less the first tenant's head start).
    const lastOfSecond = Math.max(...later.map((id) => at(id).from));
    const firstStillWaiting = first.filter((id) => at(id).from > lastOfSecond).length;
    expect(firstStillWaiting).toBeGreaterThan(FIRST / 8);
  }, 600_000);
});
