// The task API as a client uses it: create, query by id and external id, list and page, idempotency by
// external_task_id, concurrency limits (1303) and the reseller path styles. Workers are off, so tasks stay queued.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomElement } from '../packages/server/src/store/custom-assets.ts';
import { TaskStore } from '../packages/server/src/store/tasks.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server.close(); });

const OMNI = '/v1/videos/omni-video';
const body = (extra: object = {}) => ({ prompt: 'waves on a pebble beach', aspect_ratio: '16:9', ...extra });

describe('create and query', () => {
  it('answers create with the Kling task shape', async () => {
    const before = Date.now();
    const res = await server.api('POST', OMNI, { body: body({ external_task_id: 'create-shape' }) });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ code: 0, message: 'SUCCEED' });
    const data = res.json.data;
    expect(data.task_id).toMatch(/^\d{18,19}$/);
    expect(data.task_status).toBe('submitted');
    expect(data.task_info).toEqual({ external_task_id: 'create-shape' });
    expect(data.created_at).toBeGreaterThanOrEqual(before);
    expect(data.created_at).toBeLessThanOrEqual(Date.now());
    expect(data.updated_at).toBe(data.created_at);
  });

  it('finds a task by task_id, by external_task_id in the path, and by ?external_task_id=', async () => {
    const created = (await server.api('POST', OMNI, { body: body({ external_task_id: 'find-me' }) })).json.data;
    for (const route of [`${OMNI}/${created.task_id}`, `${OMNI}/find-me`, `${OMNI}?external_task_id=find-me`]) {
      const res = await server.api('GET', route);
      expect(res.status).toBe(200);
      expect(res.json.data).toMatchObject({
        task_id: created.task_id,
        task_status: 'submitted',
        task_info: { external_task_id: 'find-me' },
        watermark_info: { enabled: false },
        created_at: created.created_at,
      });
    }
  });

  it('gives every request its own request_id and time-ordered unique task ids', async () => {
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await server.api('POST', OMNI, { body: body() }));
    const ids = answers.map((a) => a.json.data.task_id);
    expect(new Set(ids).size).toBe(20);
    expect([...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(ids);
    expect(new Set(answers.map((a) => a.json.request_id)).size).toBe(20);
  });

  it('keeps element ids above 2^53 exact', async () => {
    // The element must exist and be the caller's: kiln checks element_list ids at create.
    const now = Date.now();
    await addCustomElement(server.kiln.db, {
      id: '829836802793406551', tenant_id: server.creds.tenant_id, task_id: null, name: 'Big id', description: 'an element with a long id',
      reference_type: 'image_refer', detail_json: '{}', voice_id: null, status: 'succeed', created_at: now, updated_at: now,
    });
    const raw = `{"prompt":"<<<element_1>>> walks","aspect_ratio":"16:9","element_list":[{"element_id":829836802793406551}]}`;
    const res = await server.api('POST', OMNI, { rawBody: raw });
    expect(res.json.code).toBe(0);
    const row = (await new TaskStore(server.kiln.db).byId(res.json.data.task_id))!;
    expect(row.request_json).toContain('829836802793406551');
  });
});

describe('listing', () => {
  it('lists newest first with pageNum/pageSize, 30 per page by default', async () => {
    const tenant = await server.addTenant('lister', { video: 100 });
    const ids: string[] = [];
    for (let i = 0; i < 35; i++) {
      ids.push((await server.api('POST', OMNI, { token: tenant.api_key, body: body() })).json.data.task_id);
    }
    const newestFirst = [...ids].reverse();
    const page1 = await server.api('GET', OMNI, { token: tenant.api_key });
    expect(page1.json.data.map((t: any) => t.task_id)).toEqual(newestFirst.slice(0, 30));
    const page2 = await server.api('GET', `${OMNI}?pageNum=2`, { token: tenant.api_key });
    expect(page2.json.data.map((t: any) => t.task_id)).toEqual(newestFirst.slice(30));
    const small = await server.api('GET', `${OMNI}?pageNum=3&pageSize=10`, { token: tenant.api_key });
    expect(small.json.data.map((t: any) => t.task_id)).toEqual(newestFirst.slice(20, 30));
  });

  it('lists only the family asked for', async () => {
    const tenant = await server.addTenant('family-lister');
    await server.api('POST', OMNI, { token: tenant.api_key, body: body() });
    const other = await server.api('GET', '/v1/videos/text2video', { token: tenant.api_key });
    expect(other.json.data).toEqual([]);
  });
});

describe('idempotency', () => {
  it('refuses a second task with the same external_task_id and leaves the first untouched', async () => {
    const first = (await server.api('POST', OMNI, { body: body({ external_task_id: 'order-42' }) })).json.data;
    const again = await server.api('POST', OMNI, { body: body({ external_task_id: 'order-42', prompt: 'something else' }) });
    expect(again.status).toBe(400);
    expect(again.json.code).toBe(1201);
    expect(again.json.message).toMatch(/external_task_id 'order-42' is already used/);
    const found = await server.api('GET', `${OMNI}/order-42`);
    expect(found.json.data.task_id).toBe(first.task_id);
    expect(found.json.data.created_at).toBe(first.created_at);
    // Unique per account, not per family.
    const elsewhere = await server.api('POST', '/v1/videos/text2video', { body: { prompt: 'x', external_task_id: 'order-42' } });
    expect(elsewhere.json.code).toBe(1201);
  });
});

describe('concurrency (spec §1.8)', () => {
  it('refuses the task over the video pack limit with HTTP 429 / 1303 and stores nothing', async () => {
    const tenant = await server.addTenant('limited', { video: 2 });
    for (let i = 0; i < 2; i++) {
      expect((await server.api('POST', OMNI, { token: tenant.api_key, body: body() })).json.code).toBe(0);
    }
    const over = await server.api('POST', OMNI, { token: tenant.api_key, body: body({ external_task_id: 'too-many' }) });
    expect(over.status).toBe(429);
    expect(over.json).toMatchObject({ code: 1303, message: 'parallel task over resource pack limit' });
    expect((await server.api('GET', OMNI, { token: tenant.api_key })).json.data).toHaveLength(2);
    // The refused external id was not taken.
    expect((await server.api('GET', `${OMNI}/too-many`, { token: tenant.api_key })).json.message).toBe('Task not found by id/external id: too-many');
    // Other tenants are not affected.
    expect((await server.api('POST', OMNI, { body: body() })).json.code).toBe(0);
  });

  it('frees the slot when a task ends', async () => {
    const live = await startTestServer();
    try {
      const tenant = await live.addTenant('freed', { video: 1 });
      const quick = body({ duration: '3', mode: 'std' });
      const first = (await live.api('POST', OMNI, { token: tenant.api_key, body: quick })).json.data;
      expect((await live.api('POST', OMNI, { token: tenant.api_key, body: quick })).json.code).toBe(1303);
      expect((await waitForTask(live, OMNI, first.task_id, 30_000, tenant.api_key)).json.data.task_status).toBe('succeed');
      expect((await live.api('POST', OMNI, { token: tenant.api_key, body: quick })).json.code).toBe(0);
    } finally {
      await live.close();
    }
  });

  it('admits exactly the limit when creates race', async () => {
    const tenant = await server.addTenant('racer', { video: 3 });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => server.api('POST', OMNI, { token: tenant.api_key, body: body() })),
    );
    expect(answers.filter((a) => a.json.code === 0)).toHaveLength(3);
    expect(answers.filter((a) => a.json.code === 1303)).toHaveLength(7);
  });
});

describe('reseller path styles (spec/providers.md)', () => {
  it('serves the same tasks under /kling/v1 and /v1/ai/{endpoint}/kling', async () => {
    const created = await server.api('POST', '/kling/v1/videos/omni-video', { body: body({ external_task_id: 'via-reseller' }) });
    expect(created.json.code).toBe(0);
    const id = created.json.data.task_id;
    const cloudsway = await server.api('GET', `/v1/ai/my-deployment/kling/videos/omni-video/${id}`);
    expect(cloudsway.json.data.task_id).toBe(id);
    const official = await server.api('GET', `${OMNI}/via-reseller`);
    expect(official.json.data.task_id).toBe(id);
    const list = await server.api('GET', '/kling/v1/videos/omni-video?pageSize=1');
    expect(list.json.data[0].task_id).toBe(id);
  });
});
