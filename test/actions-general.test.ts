// The general resources' synchronous endpoints (spec §4.1, §4.2) against a real server: deleting the caller's own
// custom voices and elements (under both element paths), never a preset's or another tenant's, and the preset voice
// and element libraries, paged, with playable trial MP3s and real element images.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomElement, addCustomVoice, findCustomElement, findCustomVoice } from '../packages/server/src/store/custom-assets.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { download, pngPixels, probeUrl } from './helpers/action-fixtures.ts';
import { fileStamps } from './helpers/file-stamps.ts';

let server: TestServer;
let other: { api_key: string; tenant_id: string };
beforeAll(async () => {
  server = await startTestServer();
  other = await server.addTenant('other-general');
});
afterAll(async () => { await server.close(); });

const now = Date.now();
const voice = (id: string, tenantId: string) => addCustomVoice(server.kiln.db, {
  id, tenant_id: tenantId, task_id: null, name: 'Mine', language: null, trial_file: null, status: 'succeed', created_at: now, updated_at: now,
});
const element = (id: string, tenantId: string) => addCustomElement(server.kiln.db, {
  id, tenant_id: tenantId, task_id: null, name: 'Mine', description: 'mine', reference_type: 'image_refer', detail_json: '{}',
  voice_id: null, status: 'succeed', created_at: now, updated_at: now,
});
const statusOf = async (kind: 'voice' | 'element', id: string) => {
  const find = kind === 'voice' ? findCustomVoice : findCustomElement;
  const found = (await find(server.kiln.db, server.creds.tenant_id, id)) ?? (await find(server.kiln.db, other.tenant_id, id));
  return found!.status;
};
const expectError = (res: { status: number; json: any }, code: number, message: RegExp) =>
  expect([res.status, res.json.code, res.json.message]).toEqual([code === 1203 ? 404 : 400, code, expect.stringMatching(message)]);

describe('delete-voices', () => {
  it('deletes the caller\'s custom voice (the documented example id) and marks it deleted; again succeeds again', async () => {
    await voice('850087542757535834', server.creds.tenant_id);
    const res = await server.api('POST', '/v1/general/delete-voices', { body: { voice_id: '850087542757535834' } });
    expect(res.json.data).toEqual({ task_id: expect.stringMatching(/^\d{18,19}$/), task_status: 'succeed' });
    expect(await statusOf('voice', '850087542757535834')).toBe('deleted');
    expect((await server.api('POST', '/v1/general/delete-voices', { body: { voice_id: '850087542757535834' } })).json.code).toBe(0);
    // A deleted voice no longer speaks.
    const tts = await server.api('POST', '/v1/audio/tts', { body: { text: 'hi', voice_id: '850087542757535834' } });
    expect(tts.json.message).toMatch(/has been deleted/);
  });

  it('refuses a preset voice (1201), and answers another tenant\'s or an unknown voice as not existing (1203)', async () => {
    await voice('850087542757535835', other.tenant_id);
    expectError(await server.api('POST', '/v1/general/delete-voices', { body: { voice_id: 'oversea_male1' } }), 1201,
      /^voice_id: 'oversea_male1' is a preset voice; only custom voices can be deleted/);
    expectError(await server.api('POST', '/v1/general/delete-voices', { body: { voice_id: '850087542757535835' } }), 1203,
      /^voice_id: no custom voice '850087542757535835'/);
    expect(await statusOf('voice', '850087542757535835')).toBe('succeed');
    expectError(await server.api('POST', '/v1/general/delete-voices', { body: { voice_id: '1' } }), 1203, /^voice_id: no custom voice '1'/);
    expectError(await server.api('POST', '/v1/general/delete-voices', { body: {} }), 1201, /^voice_id is required/);
  });
});

describe('delete-elements and delete-advanced-elements', () => {
  for (const path of ['/v1/general/delete-elements', '/v1/general/delete-advanced-elements']) {
    it(`${path}: deletes the caller's element, by a string, a number, or a number above 2^53`, async () => {
      const ids = path.endsWith('advanced-elements') ? ['829836802793406561', '563', '829836802793406571'] : ['829836802793406551', '553', '829836802793406541'];
      for (const id of ids) await element(id, server.creds.tenant_id);
      expect((await server.api('POST', path, { body: { element_id: ids[0] } })).json.data.task_status).toBe('succeed');
      expect((await server.api('POST', path, { body: { element_id: Number(ids[1]) } })).json.code).toBe(0);
      // Sent as a bare JSON number, the long id is read exactly, not rounded to a double.
      expect((await server.api('POST', path, { rawBody: `{"element_id": ${ids[2]}}` })).json.code).toBe(0);
      for (const id of ids) expect(await statusOf('element', id)).toBe('deleted');
    });

    it(`${path}: refuses a preset element (1201); another tenant's or an unknown one is not found (1203)`, async () => {
      const theirs = path.endsWith('advanced-elements') ? '829836802793406600' : '829836802793406601';
      await element(theirs, other.tenant_id);
      expectError(await server.api('POST', path, { body: { element_id: 160 } }), 1201, /^element_id: 160 is a preset element; only custom elements can be deleted/);
      expectError(await server.api('POST', path, { body: { element_id: theirs } }), 1203, new RegExp(`^element_id: no custom element ${theirs}`));
      expect(await statusOf('element', theirs)).toBe('succeed');
      expect((await server.api('POST', path, { body: { element_id: theirs }, token: other.api_key })).json.code).toBe(0);
      expectError(await server.api('POST', path, { body: { element_id: '7' } }), 1203, /^element_id: no custom element 7/);
      expectError(await server.api('POST', path, { body: { element_id: 'abc' } }), 1201, /^element_id: must be an element id/);
    });
  }
});

describe('presets-voices', () => {
  it('lists the library in Kling\'s shape, with trial MP3s rendered once', async () => {
    const res = await server.api('GET', '/v1/general/presets-voices?pageNum=1&pageSize=30');
    expect(res.status).toBe(200);
    const items = res.json.data;
    expect(items.length).toBeGreaterThanOrEqual(5);
    for (const item of items) {
      expect(item).toEqual({
        task_id: expect.stringMatching(/^\d+$/), task_status: 'succeed', task_status_msg: '', created_at: expect.any(Number), updated_at: expect.any(Number),
        task_result: { voices: [{ voice_id: expect.any(String), voice_name: expect.any(String), trial_url: expect.stringContaining('/media/'), owned_by: 'kling' }] },
      });
    }
    expect(items.map((i: any) => i.task_result.voices[0].voice_id)).toContain('oversea_male1');
    const trial = await probeUrl(items[0].task_result.voices[0].trial_url);
    expect(trial.audio?.codec).toBe('mp3');
    expect(trial.durationSeconds).toBeGreaterThan(2);
    // Listing again renders nothing: the trial files stay the very same files.
    const trials = fileStamps(server.dataDir, /^voice-.*\.mp3$/);
    expect(Object.keys(trials).length).toBeGreaterThanOrEqual(items.length);
    const again = await server.api('GET', '/v1/general/presets-voices?pageNum=1&pageSize=30');
    // The same list; trial URLs are signed afresh with each answer, so they are compared without their signature.
    const unsigned = (list: any[]) => list.map((i) => ({ ...i, task_result: { voices: i.task_result.voices.map((v: any) => ({ ...v, trial_url: v.trial_url.split('?')[0] })) } }));
    expect(unsigned(again.json.data)).toEqual(unsigned(items));
    expect(fileStamps(server.dataDir, /^voice-.*\.mp3$/)).toEqual(trials);
  });

  it('pages with pageNum/pageSize (pageSize 1–1000, pageNum 1–1000)', async () => {
    const all = (await server.api('GET', '/v1/general/presets-voices?pageSize=1000')).json.data;
    const second = (await server.api('GET', '/v1/general/presets-voices?pageNum=2&pageSize=2')).json.data;
    expect(second.map((i: any) => i.task_id)).toEqual(all.slice(2, 4).map((i: any) => i.task_id));
    expect((await server.api('GET', '/v1/general/presets-voices?pageNum=1000&pageSize=1')).json.data).toEqual([]);
    expectError(await server.api('GET', '/v1/general/presets-voices?pageSize=1001'), 1201, /^pageSize must be at most 1000/);
    expectError(await server.api('GET', '/v1/general/presets-voices?pageSize=0'), 1201, /^pageSize must be at least 1/);
    expectError(await server.api('GET', '/v1/general/presets-voices?pageNum=1001'), 1201, /^pageNum must be at most 1000/);
  });
});

describe('advanced-presets-elements', () => {
  it('lists the library in Kling\'s shape, with real images and the bound voices', async () => {
    const res = await server.api('GET', '/v1/general/advanced-presets-elements?pageNum=1&pageSize=30');
    const items = res.json.data;
    expect(items.length).toBeGreaterThanOrEqual(5);
    const first = items[0];
    expect(first).toMatchObject({ task_status: 'succeed', task_status_msg: '', task_info: { external_task_id: null }, final_unit_deduction: '0' });
    const el = first.task_result.elements[0];
    expect(el).toMatchObject({
      element_id: expect.any(Number), element_name: expect.any(String), element_description: expect.any(String), reference_type: 'image_refer',
      element_video_list: {}, owned_by: 'kling', status: 'succeed', tag_list: expect.arrayContaining([{ tag_id: 'o_102', tag_name: 'Character' }]),
    });
    expect(el.element_voice_info).toMatchObject({ voice_id: 'oversea_male1', owned_by: 'kling' });
    const urls = [el.element_image_list.frontal_image, ...el.element_image_list.refer_images.map((r: any) => r.image_url)];
    expect(urls.length).toBeGreaterThanOrEqual(2);
    expect(el.element_image_list.refer_images.length).toBeLessThanOrEqual(3);
    const pngs = await Promise.all(urls.map(async (u: string) => pngPixels(await download(u))));
    for (const p of pngs) expect([p.format, p.width, p.height]).toEqual(['png', 768, 1024]);
    expect(pngs[0].pixels.equals(pngs[1].pixels)).toBe(false);
    expect(items.every((i: any) => i.task_result.elements[0].element_voice_info !== undefined)).toBe(true);
  });

  it('pages with pageSize 1–500', async () => {
    expect((await server.api('GET', '/v1/general/advanced-presets-elements?pageNum=2&pageSize=2')).json.data).toHaveLength(2);
    expectError(await server.api('GET', '/v1/general/advanced-presets-elements?pageSize=501'), 1201, /^pageSize must be at most 500/);
  });
});
