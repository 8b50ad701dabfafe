// A kiln relaying to a kiln relaying to a simulator: a reseller built on kiln, resold by another kiln. Each hop
// speaks only the Kling API to the next, so a client of the outer kiln sees what it would see of Kling: its own ids,
// its own URLs, the price billed down the chain, and one task at each hop for its one create.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

const T2V = '/v1/videos/text2video';

let simulator: TestServer;
let inner: TestServer;
let outer: TestServer;

beforeAll(async () => {
  simulator = await startTestServer({ timing: 'instant' });
  // The inner kiln signs in to the simulator with its AK/SK pair; the outer one to the inner kiln with an API key.
  inner = await startTestServer({
    timing: 'instant', relayListIntervalMs: 200,
    upstream: { name: 'kling', baseUrl: simulator.url, pathStyle: 'official', accessKey: simulator.creds.access_key, secretKey: simulator.creds.secret_key },
  });
  outer = await startTestServer({
    timing: 'instant', relayListIntervalMs: 200,
    upstream: { name: 'reseller', baseUrl: inner.url, pathStyle: 'official', apiKey: inner.creds.api_key },
  });
});
afterAll(async () => {
  await outer?.close();
  await inner?.close();
  await simulator?.close();
});

/** The tasks a server holds under an external id. */
async function byExternalId(server: TestServer, externalId: string): Promise<any[]> {
  return ((await server.api('GET', `${T2V}?pageNum=1&pageSize=500`)).json.data as any[]).filter((t) => t.task_info.external_task_id === externalId);
}

it('carries a task through two relays: one task at each hop, each hop its own ids and URLs, the price billed down the chain', async () => {
  const created = await outer.api('POST', T2V, { body: { prompt: 'a fox crossing a frozen lake', duration: '5', external_task_id: 'mine-1' } });
  expect(created.json.code, created.json.message).toBe(0);
  const outerId = created.json.data.task_id;
  const done = (await waitForTask(outer, T2V, outerId, 90_000)).json.data;
  expect(done.task_status).toBe('succeed');
  expect(done.task_info.external_task_id).toBe('mine-1');

  // The inner kiln knows the task by the outer's derived external id; the simulator by the inner's.
  const [atInner] = await byExternalId(inner, `kiln-${outerId}`);
  expect(await byExternalId(inner, `kiln-${outerId}`)).toHaveLength(1);
  const atSimulator = await byExternalId(simulator, `kiln-${atInner.task_id}`);
  expect(atSimulator).toHaveLength(1);
  expect(new Set([outerId, atInner.task_id, atSimulator[0].task_id]).size).toBe(3);

  // Each hop serves the video from its own storage; all three are the same bytes.
  const urls = [done, atInner, atSimulator[0]].map((t) => t.task_result.videos[0].url as string);
  expect(urls[0].startsWith(outer.url)).toBe(true);
  expect(urls[1].startsWith(inner.url)).toBe(true);
  const bytes = await Promise.all(urls.map(async (u) => Buffer.from(await (await fetch(u)).arrayBuffer())));
  expect(bytes[0].subarray(4, 8).toString('latin1')).toBe('ftyp');
  expect(bytes[0].equals(bytes[2]) && bytes[1].equals(bytes[2])).toBe(true);

  expect(done.final_unit_deduction).toBe(atSimulator[0].final_unit_deduction);
  expect(atInner.final_unit_deduction).toBe(atSimulator[0].final_unit_deduction);
});
