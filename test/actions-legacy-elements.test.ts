// The old elements API (spec §4.2) against a real server: the documented create body answered at once with the
// images kept by kiln (downloaded and measured), each limit on both sides, the old library apart from the advanced
// one, deletion, tenants kept apart, and Kling's presets in the old shape.

import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomElement } from '../packages/server/src/store/custom-assets.ts';
import { elementLibrary } from '../packages/server/src/store/legacy-elements.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { download, makeImage, startFileServer, type FileServer } from './helpers/action-fixtures.ts';

let server: TestServer;
let files: FileServer;
let other: { api_key: string; tenant_id: string };
let png: Buffer;
let jpeg: Buffer;
beforeAll(async () => {
  [server, files] = await Promise.all([startTestServer(), startFileServer()]);
  other = await server.addTenant('other-legacy-elements');
  [png, jpeg] = await Promise.all([makeImage(600, 900, 'png'), makeImage(800, 600, 'jpeg')]);
});
afterAll(async () => { await Promise.all([server.close(), files.close()]); });

const PATH = '/v1/general/custom-elements';
const create = (body: unknown, token?: string) => server.api('POST', PATH, { body, token });
const list = async (query = '', token?: string) => (await server.api('GET', `${PATH}${query}`, { token })).json.data as any[];
const refused = async (body: unknown, message: RegExp) => {
  const res = await create(body);
  expect([res.status, res.json.code, res.json.message]).toEqual([400, 1201, expect.stringMatching(message)]);
};
/** A valid body with the given changes; images as Base64 unless a URL is given. */
const body = (changes: Record<string, unknown> = {}) => ({
  element_name: 'Anchor',
  element_description: 'A presenter in a dark suit',
  element_frontal_image: png.toString('base64'),
  element_refer_list: [{ image_url: jpeg.toString('base64') }],
  ...changes,
});
const refers = (n: number) => Array.from({ length: n }, () => ({ image_url: jpeg.toString('base64') }));
const imageFacts = async (url: string) => {
  const bytes = await download(url);
  const meta = await sharp(bytes).metadata();
  return { format: meta.format, width: meta.width, height: meta.height, bytes };
};

describe('POST /v1/general/custom-elements', () => {
  it('answers the documented (reseller) example at once, with the images kept by kiln at their size', async () => {
    const frontal = files.urlOf(png, '.png');
    const refer = files.urlOf(jpeg, '.jpg');
    const res = await create({
      model_name: 'kling-v1-6',
      element_name: '自定义主体-001',
      element_description: '自定义主体测试-001',
      element_frontal_image: frontal,
      element_refer_list: [{ image_url: refer }],
      tag_list: [{ tag_id: 'o_101' }],
    });
    expect([res.status, res.json.code]).toEqual([200, 0]);
    const data = res.json.data;
    expect(data).toEqual({
      element_id: expect.stringMatching(/^\d{18,19}$/),
      element_name: '自定义主体-001',
      element_description: '自定义主体测试-001',
      element_frontal_image: expect.stringMatching(new RegExp(`^${server.url}/media/${data.element_id}/frontal\\.png\\?`)),
      element_refer_list: [{ image_url: expect.stringMatching(new RegExp(`^${server.url}/media/${data.element_id}/refer-1\\.jpg\\?`)) }],
      tag_list: [{ id: 'o_101', name: 'Hottest', description: '' }],
      owned_by: expect.stringMatching(/^\d{1,16}$/),
    });
    // Kiln's copies, not the client's URLs: the same bytes, at the sent size.
    const [f, r] = await Promise.all([imageFacts(data.element_frontal_image), imageFacts(data.element_refer_list[0].image_url)]);
    expect([f.format, f.width, f.height, f.bytes.equals(png)]).toEqual(['png', 600, 900, true]);
    expect([r.format, r.width, r.height, r.bytes.equals(jpeg)]).toEqual(['jpeg', 800, 600, true]);
    // The element is listed, with the same answer (URLs re-signed).
    expect((await list()).find((e) => e.element_id === data.element_id)).toMatchObject({ element_name: '自定义主体-001', owned_by: data.owned_by });
  });

  it('holds element_name to 20 characters, element_description to 100, and element_refer_list to 1–3 images', async () => {
    const ok = async (changes: Record<string, unknown>) => {
      const res = await create(body(changes));
      expect([res.json.code, res.json.message]).toEqual([0, expect.any(String)]);
      return res.json.data;
    };
    expect((await ok({ element_name: 'n'.repeat(20) })).element_name).toBe('n'.repeat(20));
    await refused(body({ element_name: 'n'.repeat(21) }), /^element_name must be at most 20 characters/);
    await refused(body({ element_name: '' }), /^element_name must not be empty/);
    expect((await ok({ element_description: 'd'.repeat(100) })).element_description).toBe('d'.repeat(100));
    await refused(body({ element_description: 'd'.repeat(101) }), /^element_description must be at most 100 characters/);
    await refused(body({ element_refer_list: [] }), /^element_refer_list must have at least 1 item/);
    const three = await ok({ element_refer_list: refers(3) });
    expect(three.element_refer_list).toHaveLength(3);
    expect((await imageFacts(three.element_refer_list[2].image_url)).width).toBe(800);
    await refused(body({ element_refer_list: refers(4) }), /^element_refer_list must have at most 3 items/);
    await refused({ ...body(), element_refer_list: undefined }, /^element_refer_list is required/);
    await refused({ ...body(), element_frontal_image: undefined }, /^element_frontal_image is required/);
    await refused(body({ tag_list: [{ tag_id: 'o_109' }] }), /^tag_list\[0\]\.tag_id: must be a tag id/);
  });

  it('reads every image for real and holds it to the standard limits, storing nothing when one fails', async () => {
    const before = (await list('?pageSize=500')).length;
    await refused(body({ element_frontal_image: (await makeImage(299, 600)).toString('base64') }),
      /^element_frontal_image: image width and height must be at least 300 px \(got 299x600\)/);
    await refused(body({ element_refer_list: [{ image_url: jpeg.toString('base64') }, { image_url: (await makeImage(300, 751)).toString('base64') }] }),
      /^element_refer_list\[1\]\.image_url: image aspect ratio must be between 1:2\.5 and 2\.5:1/);
    await refused(body({ element_refer_list: [{ image_url: files.urlOf(await makeImage(400, 400, 'webp'), '.png') }] }),
      /^element_refer_list\[0\]\.image_url: image format must be jpg, jpeg or png \(got webp\)/);
    await refused(body({ element_frontal_image: files.missing }), /^element_frontal_image: could not download image \(HTTP 404/);
    await refused(body({ element_frontal_image: Buffer.from('not an image').toString('base64') }), /^element_frontal_image: could not decode image/);
    await refused(body({ element_frontal_image: 'data:image/png;base64,AAAA' }), /^element_frontal_image: must be an http\(s\) URL or raw Base64/);
    expect((await list('?pageSize=500')).length).toBe(before);
    // The edge of the limits is accepted: 300 px and 2.5:1.
    expect((await create(body({ element_frontal_image: (await makeImage(300, 750)).toString('base64') }))).json.code).toBe(0);
  });

  it('is served under the reseller prefixes too', async () => {
    const res = await server.api('POST', '/kling/v1/general/custom-elements', { body: body({ element_name: 'Reseller' }) });
    expect([res.json.code, res.json.data.element_name]).toEqual([0, 'Reseller']);
  });
});

describe('GET /v1/general/custom-elements', () => {
  it('lists only the old library, newest first and paged; deleting removes an element from it', async () => {
    const a = (await create(body({ element_name: 'First' }))).json.data;
    const b = (await create(body({ element_name: 'Second' }))).json.data;
    // An advanced element of the same tenant is not part of the old library (and is stored as 'advanced').
    const now = Date.now();
    await addCustomElement(server.kiln.db, {
      id: '829836802793406599', tenant_id: server.creds.tenant_id, task_id: null, name: 'Advanced', description: 'new library',
      reference_type: 'image_refer', detail_json: '{}', voice_id: null, status: 'succeed', created_at: now + 1000, updated_at: now + 1000,
    });
    const all = await list('?pageSize=500');
    expect(all.map((e) => e.element_id)).not.toContain('829836802793406599');
    expect(all.slice(0, 2).map((e) => e.element_name)).toEqual(['Second', 'First']);
    const libraryOf = (id: string) => elementLibrary(server.kiln.db, server.creds.tenant_id, id);
    expect([await libraryOf('829836802793406599'), await libraryOf(a.element_id)]).toEqual(['advanced', 'legacy']);

    expect((await list('?pageNum=2&pageSize=1')).map((e) => e.element_id)).toEqual([a.element_id]);
    const tooBig = await server.api('GET', `${PATH}?pageSize=501`);
    expect([tooBig.status, tooBig.json.code, tooBig.json.message]).toEqual([400, 1201, expect.stringMatching(/^pageSize must be at most 500/)]);

    const deleted = await server.api('POST', '/v1/general/delete-elements', { body: { element_id: b.element_id } });
    expect(deleted.json.data.task_status).toBe('succeed');
    expect((await list('?pageSize=500')).map((e) => e.element_id)).not.toContain(b.element_id);
    expect((await list('?pageSize=500')).map((e) => e.element_id)).toContain(a.element_id);
    // Deleting again still succeeds, as for advanced elements.
    expect((await server.api('POST', '/v1/general/delete-elements', { body: { element_id: b.element_id } })).json.code).toBe(0);
  });

  it('keeps tenants apart: another tenant lists none of them and cannot delete them', async () => {
    const mine = (await create(body({ element_name: 'Private' }))).json.data;
    expect(await list('?pageSize=500', other.api_key)).toEqual([]);
    const theirs = (await create(body({ element_name: 'Theirs' }), other.api_key)).json.data;
    expect((await list('?pageSize=500', other.api_key)).map((e) => e.element_id)).toEqual([theirs.element_id]);
    expect(theirs.owned_by).not.toBe(mine.owned_by);
    expect((await list('?pageSize=500')).map((e) => e.element_id)).not.toContain(theirs.element_id);
    const res = await server.api('POST', '/v1/general/delete-elements', { body: { element_id: mine.element_id }, token: other.api_key });
    expect([res.status, res.json.code, res.json.message]).toEqual([404, 1203, `element_id: no custom element ${mine.element_id}`]);
    expect((await list('?pageSize=500')).map((e) => e.element_id)).toContain(mine.element_id);
  });
});

describe('GET /v1/general/presets-elements', () => {
  it("lists Kling's presets in the old shape, paged, with real images", async () => {
    const res = await server.api('GET', '/v1/general/presets-elements');
    expect(res.json.code).toBe(0);
    const presets = res.json.data as any[];
    expect(presets.map((e) => e.element_id)).toEqual([159, 160, 161, 162, 163, 164]);
    expect(presets[1]).toEqual({
      element_id: 160,
      element_name: 'Ginger Cat',
      element_description: 'A fluffy ginger cat with green eyes',
      element_frontal_image: expect.stringContaining('/media/'),
      element_refer_list: [{ image_url: expect.stringContaining('/media/') }, { image_url: expect.stringContaining('/media/') }],
      tag_list: [{ id: 'o_101', name: 'Hottest', description: '' }, { id: 'o_103', name: 'Animal', description: '' }],
      owned_by: 'kling',
    });
    const frontal = await imageFacts(presets[1].element_frontal_image);
    expect([frontal.format, frontal.width! >= 300, frontal.height! >= 300]).toEqual(['png', true, true]);
    const page = (await server.api('GET', '/v1/general/presets-elements?pageNum=2&pageSize=2')).json.data as any[];
    expect(page.map((e) => e.element_id)).toEqual([161, 162]);
  });
});
