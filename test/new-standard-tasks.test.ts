// The new-standard API as a client uses it (spec new-standard.md): create answers, `GET /tasks` by ids and external
// ids (at most 20, unknown ids absent, never another tenant's), `POST /tasks` cursor pages (stable while tasks are
// created), one external-id namespace across both standards, API-key-only auth, unknown models, reseller prefixes.
// Workers are off, so tasks stay submitted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newStandardEndpoints, signKlingJwt } from '@kiln/contract';
import { NEW_STANDARD_EXAMPLES, OMNI_3_SCENARIOS } from '../packages/contract/src/testing/new-standard-examples.ts';
import { addCustomElement, addCustomVoice } from '../packages/server/src/store/custom-assets.ts';
import { testImage } from '../packages/server/src/engines/simulator/media/test-support.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server.close(); });

const TURBO = '/text-to-video/kling-3.0-turbo';
const turbo = (options: object = {}) => ({ prompt: 'a red fox in snow', settings: { duration: 3 }, options });
const create = async (body: object = turbo(), token?: string, path = TURBO) => {
  const res = await server.api('POST', path, { body, token });
  expect(res.json.code, res.json.message).toBe(0);
  return res.json.data;
};

describe('create', () => {
  it("accepts each endpoint's documented example (the pages' element ids are presets; their voice a custom one)", async () => {
    const now = Date.now();
    await addCustomVoice(server.kiln.db, {
      id: '891495440020668439', tenant_id: server.creds.tenant_id, task_id: null, name: 'sweet', language: null, trial_file: null,
      status: 'succeed', created_at: now, updated_at: now,
    });
    const examples = [
      ...newStandardEndpoints.map((e) => [e.path, NEW_STANDARD_EXAMPLES[e.name]] as const),
      ...Object.values(OMNI_3_SCENARIOS).map((body) => ['/omni-video/kling-3.0-omni', body] as const),
    ];
    for (const [path, body] of examples) {
      const res = await server.api('POST', path, { body });
      expect(res.json.code, `${path}: ${res.json.message}`).toBe(0);
      expect(res.json.data.status).toBe('submitted');
    }
  });

  it('refuses an element the tenant cannot use, and an element mix 3.0 Omni does not take, naming the field', async () => {
    const unknown = await server.api('POST', '/image-to-video/kling-3.0', {
      body: { contents: [{ type: 'first_frame', url: 'https://example.com/a.png' }, { type: 'element', element_id: '999999', id: 'e1' }] },
    });
    expect(unknown.json.code).toBe(1201);
    expect(unknown.json.message).toMatch(/^contents\[1\]\.element_id: no element 999999/);
    const o1 = await server.api('POST', '/omni-video/kling-o1', {
      body: { contents: [{ type: 'prompt', text: 'x' }, { type: 'element', element_id: '163', id: 'e1' }], settings: { aspect_ratio: '1:1' } },
    });
    expect(o1.json.code).toBe(0);
    const now = Date.now();
    await addCustomElement(server.kiln.db, {
      id: '700000000000000001', tenant_id: server.creds.tenant_id, task_id: null, name: 'Dancer', description: 'from a video',
      reference_type: 'video_refer', detail_json: '{}', voice_id: null, status: 'succeed', created_at: now, updated_at: now,
    });
    const mix = await server.api('POST', '/omni-video/kling-3.0-omni', {
      body: {
        contents: [
          { type: 'prompt', text: '@dancer moves like @video_1' }, { type: 'feature_video', url: 'https://example.com/v.mp4', id: 'video_1' },
          { type: 'refer_image', url: 'https://example.com/a.png' }, { type: 'element', element_id: '700000000000000001', id: 'dancer' },
        ],
        settings: { audio: 'off' },
      },
    });
    expect(mix.status).toBe(400);
    expect(mix.json.message).toMatch(/video-character element cannot be combined with refer_image items/);
    // kling-o1 takes multi-image elements only.
    const character = await server.api('POST', '/omni-video/kling-o1', {
      body: { contents: [{ type: 'prompt', text: 'x' }, { type: 'element', element_id: '700000000000000001', id: 'e1' }], settings: { aspect_ratio: '1:1' } },
    });
    expect(character.json.message).toMatch(/contents\[1\]\.element_id: element 700000000000000001 is a video-character element/);
  });

  it('answers {id, status, message, create_time, update_time}, external_id only when one was sent', async () => {
    const before = Date.now();
    const res = await server.api('POST', TURBO, { body: turbo() });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ code: 0, message: 'SUCCEED' });
    expect(res.json.request_id).toMatch(/^[0-9a-f-]{36}$/);
    const data = res.json.data;
    expect(Object.keys(data).sort()).toEqual(['create_time', 'id', 'message', 'status', 'update_time']);
    expect(data).toMatchObject({ status: 'submitted', message: '' });
    expect(data.id).toMatch(/^\d{18,19}$/);
    expect(data.create_time).toBeGreaterThanOrEqual(before);
    expect(data.update_time).toBe(data.create_time);
    const named = await create(turbo({ external_task_id: 'ns-create-1' }));
    expect(named.external_id).toBe('ns-create-1');
  });

  it('holds a Base64 image to its limits at create, naming the content item', async () => {
    const small = await testImage(200, 200, '#305070');
    const res = await server.api('POST', '/image-to-video/kling-3.0-turbo', { body: { contents: [{ type: 'prompt', text: 'x' }, { type: 'first_frame', url: small }] } });
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/^contents\[1\]\.url: image width and height must be at least 300 px/);
  });

  it('refuses a bad body with HTTP 400 / 1201 naming the field, and ignores unknown keys', async () => {
    const bad = await server.api('POST', TURBO, { body: { prompt: 'x', settings: { resolution: '4k' } } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 1201, message: "settings.resolution value '4k' is invalid: must be one of '720p', '1080p'" });
    expect(bad.json.data).toBeUndefined();
    const missing = await server.api('POST', '/image-to-video/kling-3.0', { body: { settings: {} } });
    expect(missing.json).toMatchObject({ code: 1201, message: 'contents cannot be empty' });
    expect((await server.api('POST', TURBO, { body: { ...turbo(), callback_url: 'https://example.com/top-level-is-ignored', mode: 'pro' } })).json.code).toBe(0);
  });

  it('answers an unknown model of a known product with HTTP 400 "model is not supported"; the live alias kling-v3-omni works', async () => {
    const res = await server.api('POST', '/omni-video/kling-v3-1-omni', { body: { contents: [{ type: 'prompt', text: 'x' }] } });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe(1201);
    expect(res.json.message).toMatch(/^model is not supported/);
    const alias = await create({ contents: [{ type: 'prompt', text: 'a parrot' }] }, undefined, '/omni-video/kling-v3-omni');
    expect(alias.status).toBe('submitted');
  });

  it('is served under the reseller prefixes too', async () => {
    const a = await create(turbo(), undefined, `/kling${TURBO}`);
    const b = await create(turbo(), undefined, `/v1/ai/kl-turbo/kling/videos${TURBO}`);
    const found = await server.api('GET', `/kling/tasks?task_ids=${a.id},${b.id}`);
    expect(found.json.data.map((t: any) => t.id)).toEqual([a.id, b.id]);
    const viaAi = await server.api('GET', `/v1/ai/kl-turbo/kling/videos/tasks?task_ids=${a.id}`);
    expect(viaAi.json.data[0].id).toBe(a.id);
  });
});

describe('auth', () => {
  it('refuses an AK/SK JWT with 401 / 1002 on every new-standard path; the same JWT works on /v1', async () => {
    const { token } = await signKlingJwt({ accessKey: server.creds.access_key, secretKey: server.creds.secret_key });
    for (const [method, path, body] of [['POST', TURBO, turbo()], ['GET', '/tasks?task_ids=1', undefined], ['POST', '/tasks', {}]] as const) {
      const res = await server.api(method, path, { token, body });
      expect(res.status, path).toBe(401);
      expect(res.json.code).toBe(1002);
      expect(res.json.message).toMatch(/does not support AK\/SK/);
    }
    const legacy = await server.api('POST', '/v1/videos/text2video', { token, body: { prompt: 'x' } });
    expect(legacy.json.code).toBe(0);
  });

  it('answers no credentials with 1001 and an unknown key with 1002', async () => {
    expect((await server.api('GET', '/tasks?task_ids=1', { token: null })).json.code).toBe(1001);
    expect((await server.api('GET', '/tasks?task_ids=1', { token: 'not-a-key' })).json.code).toBe(1002);
  });
});

describe('GET /tasks', () => {
  it('reads tasks by task_ids and external_task_ids in the order asked; unknown ids are simply absent', async () => {
    const a = await create(turbo({ external_task_id: 'ns-get-a' }));
    const b = await create(turbo({ external_task_id: 'ns-get-b' }));
    const byIds = await server.api('GET', `/tasks?task_ids=${b.id},999999999999999999,${a.id}`);
    expect(byIds.status).toBe(200);
    expect(byIds.json.data.map((t: any) => t.id)).toEqual([b.id, a.id]);
    expect(byIds.json.data[1]).toEqual({
      id: a.id, status: 'submitted', message: '', create_time: a.create_time, update_time: a.update_time, external_id: 'ns-get-a', outputs: [], billing: [],
    });
    const byExternal = await server.api('GET', '/tasks?external_task_ids=ns-get-a,nope,ns-get-b');
    expect(byExternal.json.data.map((t: any) => t.external_id)).toEqual(['ns-get-a', 'ns-get-b']);
    const none = await server.api('GET', '/tasks?task_ids=0');
    expect(none.json).toMatchObject({ code: 0, message: 'SUCCEED', data: [] });
  });

  it('takes 20 ids, refuses 21 (in total) with live Kling\'s message, and needs exactly one of the two parameters', async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => String(i + 1)).join(',');
    expect((await server.api('GET', `/tasks?task_ids=${twenty}`)).status).toBe(200);
    const over = await server.api('GET', `/tasks?task_ids=${twenty},21`);
    expect(over.status).toBe(400);
    expect(over.json).toMatchObject({ code: 1201, message: 'task_ids and external_task_ids cannot exceed 20 in total' });
    const mixed = await server.api('GET', `/tasks?task_ids=${Array(15).fill('1').join(',')}&external_task_ids=${Array(6).fill('x').join(',')}`);
    expect(mixed.json.message).toBe('task_ids and external_task_ids cannot exceed 20 in total');
    const neither = await server.api('GET', '/tasks?start_time=1&limit=3');
    expect(neither.status).toBe(400);
    expect(neither.json).toMatchObject({ code: 1201, message: 'task_ids or external_task_ids is required' });
    expect((await server.api('GET', '/tasks?task_ids=1&external_task_ids=x')).json.code).toBe(1201);
  });

  it("never shows another tenant's tasks, by id or by external id", async () => {
    const other = await server.addTenant('ns-other', { video: 10 });
    const theirs = await create(turbo({ external_task_id: 'ns-theirs' }), other.api_key);
    expect((await server.api('GET', `/tasks?task_ids=${theirs.id}`)).json.data).toEqual([]);
    expect((await server.api('GET', '/tasks?external_task_ids=ns-theirs')).json.data).toEqual([]);
    expect((await server.api('GET', `/tasks?task_ids=${theirs.id}`, { token: other.api_key })).json.data).toHaveLength(1);
  });

  it('shows legacy tasks in the new record shape', async () => {
    const legacy = await server.api('POST', '/v1/videos/text2video', { body: { prompt: 'x', external_task_id: 'ns-legacy-1' } });
    const res = await server.api('GET', '/tasks?external_task_ids=ns-legacy-1');
    expect(res.json.data).toEqual([expect.objectContaining({ id: legacy.json.data.task_id, status: 'submitted', external_id: 'ns-legacy-1', outputs: [] })]);
  });
});

describe('external_task_id', () => {
  it('is one namespace for the whole account: both standards, every product', async () => {
    await create(turbo({ external_task_id: 'ns-dup' }));
    const again = await server.api('POST', '/image-to-video/kling-2.5-turbo', {
      body: { contents: [{ type: 'first_frame', url: 'https://example.com/a.png' }], options: { external_task_id: 'ns-dup' } },
    });
    expect(again.status).toBe(400);
    expect(again.json).toMatchObject({ code: 1201, message: 'External_task_id ns-dup already exists' });
    const legacy = await server.api('POST', '/v1/images/generations', { body: { prompt: 'x', external_task_id: 'ns-dup' } });
    expect(legacy.json.code).toBe(1201);
    await server.api('POST', '/v1/videos/text2video', { body: { prompt: 'x', external_task_id: 'ns-dup-legacy' } });
    expect((await server.api('POST', TURBO, { body: turbo({ external_task_id: 'ns-dup-legacy' }) })).json.message).toBe('External_task_id ns-dup-legacy already exists');
  });

  it('treats "" as none, as every vendor example sends it', async () => {
    const a = await create(turbo({ external_task_id: '' }));
    const b = await create(turbo({ external_task_id: '' }));
    expect(a.external_id).toBeUndefined();
    expect(b.id).not.toBe(a.id);
  });
});

describe('POST /tasks', () => {
  it('answers an empty window with {count: 0, has_more: false} and no result', async () => {
    const res = await server.api('POST', '/tasks', { body: { start_time: 1000, end_time: '2000' } });
    expect(res.json).toMatchObject({ code: 0, data: { count: 0, has_more: false } });
    expect(Object.keys(res.json.data).sort()).toEqual(['count', 'has_more']);
  });

  it('pages newest first with a cursor, each task once, while other tasks are being created', async () => {
    const tenant = await server.addTenant('ns-pager', { video: 100 });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await create(turbo(), tenant.api_key)).id);
    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    for (;;) {
      const res = await server.api('POST', '/tasks', { token: tenant.api_key, body: { limit: 3, cursor } });
      expect(res.json.code, res.json.message).toBe(0);
      seen.push(...res.json.data.result.map((t: any) => t.id));
      expect(res.json.data.count).toBe(res.json.data.result.length);
      pages++;
      // Tasks created mid-way are newer than the window the first page fixed: they do not shift later pages.
      await create(turbo(), tenant.api_key);
      if (!res.json.data.has_more) {
        expect(res.json.data.next_cursor).toBe('');
        break;
      }
      cursor = res.json.data.next_cursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by status and product_type, and lists legacy tasks of every product', async () => {
    const tenant = await server.addTenant('ns-filter', { video: 10, image: 10 });
    const video = await create(turbo(), tenant.api_key);
    const image = await server.api('POST', '/v1/images/generations', { token: tenant.api_key, body: { prompt: 'a cat' } });
    const all = await server.api('POST', '/tasks', { token: tenant.api_key, body: {} });
    expect(all.json.data.result.map((t: any) => t.id)).toEqual([image.json.data.task_id, video.id]);
    const images = await server.api('POST', '/tasks', { token: tenant.api_key, body: { filters: [{ key: 'product_type', values: ['image'] }] } });
    expect(images.json.data.result.map((t: any) => t.id)).toEqual([image.json.data.task_id]);
    const done = await server.api('POST', '/tasks', { token: tenant.api_key, body: { filters: [{ key: 'status', values: ['succeeded'] }] } });
    expect(done.json.data).toEqual({ count: 0, has_more: false });
  });

  it('refuses a limit over 500, a window that ends before it starts, an unknown filter and a forged cursor', async () => {
    const cases: [object, RegExp][] = [
      [{ limit: 501 }, /^limit/],
      [{ start_time: 2000, end_time: 1000 }, /start_time .* must be earlier than end_time/],
      [{ filters: [{ key: 'model', values: ['x'] }] }, /^filters\[0\]/],
      [{ cursor: 'not-a-cursor' }, /^cursor value is invalid/],
    ];
    for (const [body, message] of cases) {
      const res = await server.api('POST', '/tasks', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.code).toBe(1201);
      expect(res.json.message).toMatch(message);
    }
  });
});
