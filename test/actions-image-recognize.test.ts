// image-recognize (spec §2.11) against a real server: the four masks as real PNGs at the image's size, is_contain
// following what the simulator "sees", the standard image limits on URL and Base64 inputs, and billing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { download, makeImage, pngPixels, startFileServer, type FileServer } from './helpers/action-fixtures.ts';

let server: TestServer;
let files: FileServer;
const PATH = '/v1/videos/image-recognize';

beforeAll(async () => { [server, files] = await Promise.all([startTestServer(), startFileServer()]); });
afterAll(async () => { await Promise.all([server.close(), files.close()]); });

const recognize = (body: unknown) => server.api('POST', PATH, { body });
const refused = async (body: unknown, message: RegExp) => {
  const res = await recognize(body);
  expect([res.status, res.json.code, res.json.message]).toEqual([400, 1201, expect.stringMatching(message)]);
};
const masksOf = async (data: any) => Object.fromEntries(await Promise.all(data.task_result.images.map(async (i: any) => {
  const png = await pngPixels(await download(i.url));
  const inside = png.pixels.reduce((n, v) => n + (v === 255 ? 1 : 0), 0);
  expect(png.pixels.every((v) => v === 0 || v === 255)).toBe(true);
  return [i.type, { ...png, inside, is_contain: i.is_contain }];
})));

describe('image-recognize', () => {
  it('answers the documented example body: four masks at the image\'s size, a person found in a portrait image', async () => {
    const res = await recognize({ image: files.urlOf(await makeImage(600, 900), '.png') });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({
      final_unit_deduction: '0.1',
      task_result: {
        images: ['object_seg', 'head_seg', 'face_seg', 'cloth_seg'].map((type) => ({ type, is_contain: true, url: expect.stringContaining('/media/') })),
      },
    });
    const masks = await masksOf(res.json.data);
    for (const m of Object.values(masks) as any[]) expect([m.format, m.width, m.height, m.inside > 0]).toEqual(['png', 600, 900, true]);
    // The face lies within the head, the head within the subject; the clothes below the face.
    const within = (a: any, b: any) => a.pixels.every((v: number, i: number) => v === 0 || b.pixels[i] === 255);
    expect(within(masks.face_seg, masks.head_seg)).toBe(true);
    expect(within(masks.head_seg, masks.object_seg)).toBe(true);
    expect(masks.face_seg.inside).toBeLessThan(masks.head_seg.inside);
  });

  it('finds only a subject in a landscape image: the person masks are empty, is_contain false', async () => {
    const res = await recognize({ image: (await makeImage(1200, 800, 'jpeg')).toString('base64') });
    const masks = await masksOf(res.json.data);
    expect(Object.fromEntries(Object.entries(masks).map(([k, m]: [string, any]) => [k, [m.is_contain, m.inside > 0, m.width, m.height]]))).toEqual({
      object_seg: [true, true, 1200, 800], head_seg: [false, false, 1200, 800], face_seg: [false, false, 1200, 800], cloth_seg: [false, false, 1200, 800],
    });
  });

  it('holds the image to the standard limits, both edges', async () => {
    expect((await recognize({ image: (await makeImage(300, 750)).toString('base64') })).json.code).toBe(0);
    await refused({ image: (await makeImage(299, 600)).toString('base64') }, /^image: image width and height must be at least 300 px \(got 299x600\)/);
    await refused({ image: (await makeImage(300, 751)).toString('base64') }, /^image: image aspect ratio must be between 1:2\.5 and 2\.5:1/);
    await refused({ image: files.urlOf(await makeImage(400, 400, 'webp'), '.png') }, /^image: image format must be jpg, jpeg or png \(got webp\)/);
    await refused({ image: files.missing }, /^image: could not download image \(HTTP 404/);
    await refused({ image: Buffer.from('not an image at all').toString('base64') }, /^image: could not decode image/);
    await refused({ image: 'data:image/png;base64,AAAA' }, /^image: must be an http\(s\) URL or raw Base64/);
    await refused({}, /^image is required/);
  });
});
