// The relay carries new-standard tasks too: a relay kiln in front of a simulator kiln standing in for Kling. The
// upstream gets the new-standard create (its external id under `options`), the client sees kiln's own id, URLs and
// record, billed what the upstream billed.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let upstream: TestServer;
let relay: TestServer;

beforeAll(async () => {
  upstream = await startTestServer({ timing: 'instant' });
  relay = await startTestServer({
    timing: 'instant',
    upstream: { name: 'default', baseUrl: upstream.url, pathStyle: 'official', apiKey: upstream.creds.api_key },
  });
});
afterAll(async () => {
  await relay?.close();
  await upstream?.close();
});

async function finished(server: TestServer, id: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const record = (await server.api('GET', `/tasks?task_ids=${id}`)).json.data[0];
    if (record.status === 'succeeded' || record.status === 'failed' || Date.now() > deadline) return record;
    await new Promise((r) => setTimeout(r, 150));
  }
}

it('carries a Kling 3.0 Turbo task: one upstream task under the relay external id, kiln URLs, the upstream price', async () => {
  const created = await relay.api('POST', '/text-to-video/kling-3.0-turbo', {
    body: { prompt: 'a heron in the reeds', settings: { duration: 3 }, options: { external_task_id: 'relay-ns-1' } },
  });
  expect(created.json.code, created.json.message).toBe(0);
  const record = await finished(relay, created.json.data.id);
  expect(record).toMatchObject({ status: 'succeeded', external_id: 'relay-ns-1', billing: [{ charge_type: 'unit', amount: '2.4', package_type: 'video' }] });
  expect(record.outputs[0]).toMatchObject({ type: 'video' });
  expect(record.outputs[0].url.startsWith(relay.url)).toBe(true);
  expect((await fetch(record.outputs[0].url)).status).toBe(200);

  const theirs = (await upstream.api('GET', `/tasks?external_task_ids=kiln-${created.json.data.id}`)).json.data;
  expect(theirs).toHaveLength(1);
  expect(theirs[0].status).toBe('succeeded');
  // The client's own external id stays kiln's.
  expect((await upstream.api('GET', '/tasks?external_task_ids=relay-ns-1')).json.data).toEqual([]);
});
