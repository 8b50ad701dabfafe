// Deduction details (spec §6.2) against a real server: the rows real tasks and a TTS call leave when they are
// billed, the documented filters (OR within a key, AND across keys), limit/cursor paging that neither repeats nor
// skips a row while new charges arrive, the cash-balance list kiln keeps empty, and every refusal naming its field.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '@kiln/server/tenants';
import { addPack, packsOf } from '../packages/server/src/store/resource-packs.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
let tenant: { api_key: string; tenant_id: string };
let videoPack: { id: string; name: string };
let imagePack: { id: string; name: string };
let since: number;
const tasks: Record<string, any> = {};

const T2V = '/v1/videos/text2video';
const package_ = (body: unknown, token = tenant.api_key) => server.api('POST', '/account/billing/package', { body, token });
const details = async (body: Record<string, unknown>, token?: string) => {
  const res = await package_({ start_time: since, end_time: Date.now() + 1000, ...body }, token);
  expect([res.status, res.json.code]).toEqual([200, 0]);
  return res.json.data;
};
const refused = async (path: string, body: unknown, message: RegExp) => {
  const res = await server.api('POST', path, { body, token: tenant.api_key });
  expect([res.status, res.json.code, res.json.message]).toEqual([400, 1201, expect.stringMatching(message)]);
};
const speak = async (token = tenant.api_key) =>
  (await server.api('POST', '/v1/audio/tts', { body: { text: 'one two three four', voice_id: 'oversea_male1', voice_language: 'en' }, token })).json.data;

beforeAll(async () => {
  server = await startTestServer();
  since = Date.now() - 1;
  const issued = await createTenant(server.kiln.db, { name: 'billing-detail', packs: [] });
  tenant = issued;
  videoPack = await addPack(server.kiln.db, issued.tenant_id, { type: 'video', units: 100, name: 'Video Pack 100' });
  imagePack = await addPack(server.kiln.db, issued.tenant_id, { type: 'image', units: 50, name: 'Image Pack 50' });
  // Real work: a silent 720p video, a 1080p video with native sound, a failed task (not billed), an image, a TTS call.
  const run = async (path: string, body: unknown, headers?: Record<string, string>) => {
    const created = await server.api('POST', path, { body, token: tenant.api_key, headers });
    return (await waitForTask(server, path, created.json.data.task_id, 60_000, tenant.api_key)).json.data;
  };
  tasks.std = await run(T2V, { model_name: 'kling-v2-5-turbo', prompt: 'a kite', mode: 'std', duration: '5' });
  tasks.pro = await run(T2V, { model_name: 'kling-v2-6', prompt: 'a drum', mode: 'pro', duration: '5', sound: 'on' });
  tasks.failed = await run(T2V, { model_name: 'kling-v2-5-turbo', prompt: 'x' }, { 'x-kiln-simulate': 'fail=1301' });
  tasks.image = await run('/v1/images/generations', { prompt: 'a lighthouse' });
  tasks.tts = await speak();
}, 120_000);
afterAll(async () => { await server.close(); });

describe('POST /account/billing/package', () => {
  it('lists one row per billed task or call, with the pack before and after, oldest first', async () => {
    expect([tasks.std.task_status, tasks.pro.task_status, tasks.failed.task_status, tasks.image.task_status])
      .toEqual(['succeed', 'succeed', 'failed', 'succeed']);
    const data = await details({});
    expect(data.has_more).toBe(false);
    expect(data.next_cursor).toBe('');
    expect(data.result.count).toBe(4);
    const [std, pro, image, tts] = data.result.detail;
    expect(std).toEqual({
      package_id: videoPack.id,
      product_type: 'video',
      task_id: tasks.std.task_id,
      api_key_name: 'billing-detail',
      product_function: 'Text to Video',
      model_name: 'kling-v2-5-turbo',
      resolution: '720p',
      duration: tasks.std.task_result.videos[0].duration,
      refer_video_input: false,
      video_sound: 'off',
      voice_control: false,
      deduction_time: expect.stringMatching(/^\d{13}$/),
      unit_before_deduction: 100,
      deduction_amount: 1.5,
      unit_after_deduction: 98.5,
    });
    expect(Number(std.deduction_time)).toBeGreaterThanOrEqual(tasks.std.created_at);
    expect(Number(std.deduction_time)).toBeLessThanOrEqual(tasks.std.updated_at);
    expect(String(std.deduction_amount)).toBe(tasks.std.final_unit_deduction);
    expect(pro).toMatchObject({
      task_id: tasks.pro.task_id, model_name: 'kling-v2-6', resolution: '1080p', video_sound: 'native', voice_control: false,
      unit_before_deduction: 98.5, deduction_amount: Number(tasks.pro.final_unit_deduction),
    });
    expect(pro.unit_after_deduction).toBeCloseTo(98.5 - Number(tasks.pro.final_unit_deduction), 5);
    expect(image).toMatchObject({
      package_id: imagePack.id, product_type: 'image', task_id: tasks.image.task_id, product_function: 'Image Generation',
      resolution: '1k', duration: '', video_sound: '', unit_before_deduction: 50, deduction_amount: Number(tasks.image.final_unit_deduction),
    });
    // The TTS call draws on the video pack, after the two videos.
    expect(tts).toMatchObject({
      package_id: videoPack.id, task_id: tasks.tts.task_id, product_function: 'Text to Speech', model_name: '', resolution: '',
      deduction_amount: 0.05, unit_before_deduction: pro.unit_after_deduction,
    });
    expect(tts.unit_after_deduction).toBeCloseTo(pro.unit_after_deduction - 0.05, 5);
    // The packs say the same.
    const packs = await packsOf(server.kiln.db, tenant.tenant_id);
    expect(packs.find((p) => p.id === videoPack.id)!.remaining_quantity).toBeCloseTo(tts.unit_after_deduction, 5);
  });

  it('filters: values of one key are alternatives, different keys all apply; empty values filter nothing', async () => {
    const ids = async (filters: unknown) => (await details({ filters })).result.detail.map((d: any) => d.task_id);
    const video = [tasks.std.task_id, tasks.pro.task_id, tasks.tts.task_id];
    expect(await ids([{ key: 'product_type', values: ['image'] }])).toEqual([tasks.image.task_id]);
    expect(await ids([{ key: 'product_type', values: ['video', 'image'] }])).toHaveLength(4);
    expect(await ids([{ key: 'package_id', values: [videoPack.id] }])).toEqual(video);
    expect(await ids([{ key: 'package_name', values: ['Image Pack 50', 'Nope'] }])).toEqual([tasks.image.task_id]);
    expect(await ids([{ key: 'api_key_name', values: ['billing-detail'] }, { key: 'product_type', values: ['video'] }])).toEqual(video);
    expect(await ids([{ key: 'api_key_name', values: ['someone-else'] }, { key: 'product_type', values: ['video'] }])).toEqual([]);
    expect(await ids([{ key: 'product_type', values: ['image'] }, { key: 'package_id', values: [videoPack.id] }])).toEqual([]);
    // The documented request example: every key present with "values": [] and "cursor": "".
    const example = ['product_type', 'api_key_name', 'package_name', 'package_id'].map((key) => ({ key, values: [] }));
    expect(await ids(example)).toHaveLength(4);
    expect((await details({ cursor: '', limit: 50, filters: example })).result.count).toBe(4);
  });

  it('selects on task creation time: a period before the tasks finds nothing', async () => {
    const res = await package_({ start_time: since - 60_000, end_time: since - 1 });
    expect(res.json.data).toEqual({ result: { detail: [], count: 0 }, next_cursor: '', has_more: false });
    const fromPro = await details({ start_time: tasks.pro.created_at });
    expect(fromPro.result.detail.map((d: any) => d.task_id)).not.toContain(tasks.std.task_id);
  });

  it('pages with limit and cursor: every row once, even with a charge recorded between pages', async () => {
    const payer = await createTenant(server.kiln.db, { name: 'billing-pages', packs: [{ type: 'video', units: 10 }] });
    const start = Date.now() - 1;
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await speak(payer.api_key)).task_id);
    const body = { start_time: start, end_time: Date.now() + 60_000, limit: 3 };
    const seen: string[] = [];
    const pages: [number, boolean][] = [];
    let res = await package_(body, payer.api_key);
    for (;;) {
      const data = res.json.data;
      seen.push(...data.result.detail.map((d: any) => d.task_id));
      pages.push([data.result.count, data.has_more]);
      if (!data.has_more) {
        expect(data.next_cursor).toBe('');
        break;
      }
      expect(typeof data.next_cursor).toBe('string');
      if (pages.length === 1) made.push((await speak(payer.api_key)).task_id);
      // The cursor overrides the rest of the body: a different limit and filter change nothing.
      res = await package_({ cursor: data.next_cursor, limit: 1, filters: [{ key: 'product_type', values: ['image'] }] }, payer.api_key);
    }
    expect(pages).toEqual([[3, true], [3, true], [2, false]]);
    expect(seen).toEqual(made);
    // The default tenant, and this file's other tenant, see none of these rows.
    expect((await details({}, server.creds.api_key)).result.count).toBe(0);
    expect((await details({ limit: 500 })).result.detail.map((d: any) => d.task_id)).not.toContain(made[0]);
  });

  it('refuses a body it cannot answer with 1201 naming the field', async () => {
    const P = '/account/billing/package';
    const now = Date.now();
    await refused(P, { end_time: now }, /^start_time is required when cursor is empty/);
    await refused(P, { start_time: 0 }, /^end_time is required when cursor is empty/);
    await refused(P, { start_time: now, end_time: now }, /^start_time must be earlier than end_time/);
    await refused(P, { start_time: 0, end_time: now, limit: 501 }, /^limit must be at most 500/);
    await refused(P, { start_time: 0, end_time: now, limit: 0 }, /^limit must be at least 1/);
    expect((await package_({ start_time: 0, end_time: now, limit: 500 })).json.code).toBe(0);
    await refused(P, { start_time: 0, end_time: now, filters: [{ key: 'package_name', values: ['a'] }, { key: 'package_id', values: ['b'] }] },
      /^filters: package_name and package_id are mutually exclusive/);
    await refused(P, { start_time: 0, end_time: now, filters: [{ key: 'product_type', values: ['video', 'audio'] }] },
      /^filters\[0\]\.values\[1\]: product_type must be one of 'video', 'image', 'try-on'/);
    await refused(P, { start_time: 0, end_time: now, filters: [{ key: 'model_name', values: ['x'] }] },
      /^filters\[0\]\.key: must be one of 'api_key_name', 'product_type', 'package_name', 'package_id'/);
    await refused(P, { start_time: 'yesterday', end_time: now }, /^start_time must be an integer/);
    await refused(P, { cursor: 'not-a-cursor' }, /^cursor: not a cursor from this server/);
    const unauthenticated = await server.api('POST', P, { body: { start_time: 0, end_time: now }, token: null });
    expect(unauthenticated.json.code).toBe(1001);
  });
});

describe('POST /account/billing/balance', () => {
  it('answers an empty, well-formed page (kiln bills resource packs only) and checks the body the same way', async () => {
    const res = await server.api('POST', '/account/billing/balance', {
      body: { start_time: since, end_time: Date.now(), limit: 50, cursor: '', filters: [{ key: 'api_key_name', values: ['billing-detail'] }] },
      token: tenant.api_key,
    });
    expect([res.status, res.json.code, res.json.data]).toEqual([200, 0, { result: { detail: [], count: 0 }, next_cursor: '', has_more: false }]);
    const B = '/account/billing/balance';
    await refused(B, { end_time: Date.now() }, /^start_time is required when cursor is empty/);
    await refused(B, { start_time: 0, end_time: Date.now(), limit: 501 }, /^limit must be at most 500/);
    await refused(B, { start_time: 0, end_time: Date.now(), filters: [{ key: 'product_type', values: ['video'] }] },
      /^filters\[0\]\.key: must be one of 'api_key_name'$/);
    await refused(B, { cursor: '%%%' }, /^cursor: not a cursor from this server/);
  });
});
