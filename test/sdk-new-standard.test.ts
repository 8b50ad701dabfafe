// The SDK's new-standard surface against a real kiln server: typed creates per product and model (checked before
// sending, an external_task_id added), createAndWait, recover by external id, `client.tasks.get` in chunks of 20
// with the missing ids reported, `client.tasks.list` over cursor pages, tasks of both standards, reseller paths.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError, NewStandardTaskFailedError, type Kling } from '@kiln/sdk';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { clientFor } from './helpers/sdk-samples.ts';

let server: TestServer;
let client: Kling;
const requests: string[] = [];
beforeAll(async () => {
  server = await startTestServer();
  const counting: typeof fetch = (input, init) => {
    requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    return fetch(input, init);
  };
  client = clientFor(server, { fetch: counting });
});
afterAll(async () => { await server?.close(); });

describe('typed creates', () => {
  it('createAndWait on Kling 3.0 Turbo ends with the video output and its charge', async () => {
    const task = await client.newStandard.textToVideo.createAndWait('kling-3.0-turbo', { prompt: 'a kite over dunes', settings: { duration: 3 } });
    expect(task.status).toBe('succeeded');
    expect(task.outputs[0]).toMatchObject({ type: 'video', duration: '3' });
    expect(task.billing).toEqual([{ charge_type: 'unit', amount: '2.4', package_type: 'video' }]);
    // The SDK named the task, so a lost answer could be recovered.
    expect(task.external_id).toMatch(/^kiln-sdk-/);
  });

  it('refuses locally, naming the field, what the server would refuse (nothing is sent)', async () => {
    const before = requests.length;
    // @ts-expect-error kling-2.6 has no 4k
    const bad = client.newStandard.textToVideo.create('kling-2.6', { prompt: 'x', settings: { resolution: '4k' } });
    await expect(bad).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(client.newStandard.imageToVideo.create('kling-3.0', { contents: [] })).rejects.toThrow(/contents cannot be empty/);
    expect(requests.length).toBe(before);
  });

  it('recovers a task by its external id; a failed task rejects with its message', async () => {
    const created = await client.newStandard.omniVideo.create('kling-o1', {
      contents: [{ type: 'prompt', text: 'a parrot' }], settings: { aspect_ratio: '1:1' }, options: { external_task_id: 'sdk-ns-recover' },
    });
    expect((await client.newStandard.omniVideo.recover('sdk-ns-recover'))?.id).toBe(created.id);
    expect(await client.newStandard.omniVideo.recover('sdk-ns-nothing')).toBeUndefined();
    const failing = client.newStandard.textToVideo.createAndWait('kling-2.5-turbo', { prompt: 'x' }, { headers: { 'x-kiln-simulate': 'fail' } });
    await expect(failing).rejects.toBeInstanceOf(NewStandardTaskFailedError);
  });
});

describe('client.tasks', () => {
  it('gets ids in chunks of 20, in the order asked, and reports the missing ones; legacy tasks too', async () => {
    const a = await client.newStandard.textToVideo.create('kling-2.6', { prompt: 'one' });
    const legacy = await client.videos.text2video.create({ prompt: 'two' });
    const fake = Array.from({ length: 22 }, (_, i) => String(100 + i));
    const before = requests.length;
    const { tasks, missing } = await client.tasks.get([legacy.task_id, ...fake, a.id]);
    expect(requests.slice(before).filter((r) => r === 'GET /tasks')).toHaveLength(2);
    expect(tasks.map((t) => t.id)).toEqual([legacy.task_id, a.id]);
    expect(missing).toEqual(fake);
    const byExternal = await client.tasks.get([a.external_id!], { by: 'external_task_ids' });
    expect(byExternal.tasks[0].id).toBe(a.id);
  });

  it('lists every task of the window page after page, newest first', async () => {
    const tenant = await server.addTenant('sdk-ns-list', { video: 20 });
    const own = clientFor(server, { apiKey: tenant.api_key });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await own.newStandard.textToVideo.create('kling-3.0-turbo', { prompt: `t${i}` }, { headers: { 'x-kiln-simulate': 'stuck' } })).id);
    const seen: string[] = [];
    for await (const task of own.tasks.list({ limit: 2 })) seen.push(task.id);
    expect(seen).toEqual([...ids].reverse());
    const none = await own.tasks.page({ startTime: 1, endTime: 2 });
    expect(none).toEqual({ result: [], count: 0, next_cursor: '', has_more: false });
  });

  it('waits for a legacy task through GET /tasks too', async () => {
    const legacy = await client.videos.text2video.create({ prompt: 'three', duration: '5' });
    const done = await client.tasks.wait(legacy.task_id);
    expect(done.status).toBe('succeeded');
    expect(done.outputs[0].type).toBe('video');
  });
});

describe('providers', () => {
  it('sends new-standard requests under a reseller prefix', async () => {
    const reseller = clientFor(server, { provider: { kind: 'ai-endpoint', endpoint: 'MaaS_KL_3.0_turbo' } });
    const before = requests.length;
    const counting = clientFor(server, { provider: { kind: 'kling-prefix' }, fetch: (input, init) => { requests.push(new URL(String(input)).pathname); return fetch(input, init); } });
    const created = await counting.newStandard.textToVideo.create('kling-3.0-turbo', { prompt: 'x' });
    expect(requests.slice(before)).toContain('/kling/text-to-video/kling-3.0-turbo');
    const found = await reseller.tasks.get(created.id);
    expect(found.tasks[0].id).toBe(created.id);
  });
});
