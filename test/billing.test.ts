// Resource packs: a succeeded task uses up its units from the tenant's pack of its type, a failed one costs
// nothing, and a tenant whose packs are used up is refused with 1102 (spec §1.7, §1.10, §6.1).

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTenant } from '@kiln/server/tenants';
import { unitsLeft } from '../packages/server/src/store/resource-packs.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });

const T2V = '/v1/videos/text2video';

it('charges succeeded tasks, not failed ones, and refuses with 1102 once the pack is used up', async () => {
  const tenant = await createTenant(server.kiln.db, { name: 'small-pack', packs: [{ type: 'video', units: 2 }] });
  const remaining = () => unitsLeft(server.kiln.db, tenant.tenant_id);
  const body = { prompt: 'a kite', duration: '5', mode: 'std', model_name: 'kling-v2-5-turbo' }; // 0.3 × 5 = 1.5 units

  const failed = await server.api('POST', T2V, { token: tenant.api_key, body, headers: { 'x-kiln-simulate': 'fail=1301' } });
  expect((await waitForTask(server, T2V, failed.json.data.task_id, 30_000, tenant.api_key)).json.data.final_unit_deduction).toBe('0');
  expect(await remaining()).toBe(2);

  const first = await server.api('POST', T2V, { token: tenant.api_key, body });
  const done = (await waitForTask(server, T2V, first.json.data.task_id, 30_000, tenant.api_key)).json.data;
  expect(done.final_unit_deduction).toBe('1.5');
  expect(await remaining()).toBe(0.5);

  // The last half unit still admits a task; it takes the pack to zero.
  const second = await server.api('POST', T2V, { token: tenant.api_key, body });
  await waitForTask(server, T2V, second.json.data.task_id, 30_000, tenant.api_key);
  expect(await remaining()).toBe(0);

  const refused = await server.api('POST', T2V, { token: tenant.api_key, body });
  expect(refused.status).toBe(429);
  expect(refused.json.code).toBe(1102);
  expect(refused.json.message).toMatch(/video units/);
  // GET /account/costs shows the pack as Kling does: double-wrapped, run out.
  const now = Date.now();
  const costs = await server.api('GET', `/account/costs?start_time=${now - 60_000}&end_time=${now}`, { token: tenant.api_key });
  expect(costs.json.code).toBe(0);
  expect(costs.json.data).toMatchObject({ code: 0, msg: 'success' });
  expect(costs.json.data.resource_pack_subscribe_infos).toEqual([expect.objectContaining({
    resource_pack_type: 'decreasing_total', total_quantity: 2, remaining_quantity: 0, status: 'runOut',
  })]);
  // Image packs are separate.
  const image = await server.api('POST', '/v1/images/generations', { token: tenant.api_key, body: { prompt: 'x' } });
  expect(image.json.code).toBe(0);
});

it('answers /account/costs with the caller’s packs, and refuses a query without its times', async () => {
  const now = Date.now();
  const mine = await server.api('GET', `/account/costs?start_time=${now - 1000}&end_time=${now}`);
  expect(mine.json.data.resource_pack_subscribe_infos.map((p: any) => `${p.status} ${p.total_quantity}`).sort())
    .toEqual(['online 10000', 'online 100000', 'online 100000']);
  const named = await server.api('GET', `/account/costs?start_time=0&end_time=${now}&resource_pack_name=nope`);
  expect(named.json.data.resource_pack_subscribe_infos).toEqual([]);
  const missing = await server.api('GET', '/account/costs?start_time=1');
  expect(missing.status).toBe(400);
  expect(missing.json.code).toBe(1201);
  expect(missing.json.message).toMatch(/end_time/);
  expect((await server.api('GET', `/account/costs?start_time=0&end_time=${now}`, { token: null })).json.code).toBe(1001);
});
