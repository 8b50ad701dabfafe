// identify-face (spec §2.8) against a real server: a lip-sync session on a stored or uploaded video with the
// documented limits, faces with PNG crops and times that follow from the video, billing, and privacy of video ids.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '@kiln/server/tenants';
import { placeFaces } from '../packages/server/src/actions/identify-face.ts';
import { unitsLeft } from '../packages/server/src/store/resource-packs.ts';
import { findSession } from '../packages/server/src/store/sessions.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { download, makeVideo, pngPixels, startFileServer, storeVideo, type FileServer } from './helpers/action-fixtures.ts';

let server: TestServer;
let files: FileServer;
const PATH = '/v1/videos/identify-face';

beforeAll(async () => { [server, files] = await Promise.all([startTestServer(), startFileServer()]); });
afterAll(async () => { await Promise.all([server.close(), files.close()]); });

const identify = (body: unknown, token?: string) => server.api('POST', PATH, { body, token });
const refused = async (body: unknown, code: number, message: RegExp, token?: string) => {
  const res = await identify(body, token);
  expect({ code: res.json.code, message: res.json.message }).toMatchObject({ code, message: expect.stringMatching(message) });
};
const videoUnits = (tenantId: string) => unitsLeft(server.kiln.db, tenantId, 'video');

describe('identify-face', () => {
  it('answers the documented example body with a session, the faces and their PNG crops; bills 0.05 units', async () => {
    const before = await videoUnits(server.creds.tenant_id);
    const res = await identify({ video_url: files.urlOf(await makeVideo({ seconds: 5 })), video_id: '' });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({
      session_id: expect.stringMatching(/^\d{18,19}$/),
      final_unit_deduction: '0.05',
      face_data: [{ face_id: '0', face_image: expect.stringContaining('/media/'), start_time: 0, end_time: 5000 }],
    });
    const crop = await pngPixels(await download(res.json.data.face_data[0].face_image));
    expect([crop.format, crop.width, crop.height]).toEqual(['png', 216, 216]);
    expect(await videoUnits(server.creds.tenant_id)).toBeCloseTo(before - 0.05, 5);
    // The session is kept for advanced-lip-sync: its video, length and faces.
    const row = (await findSession(server.kiln.db, server.creds.tenant_id, res.json.data.session_id))!;
    expect(row).toMatchObject({ kind: 'identify-face', tenant_id: server.creds.tenant_id, width: 1280, height: 720, total_frames: 120 });
    expect(JSON.parse(row.state_json).faces[0]).toMatchObject({ face_id: '0', start_ms: 0, end_ms: 5000 });
    expect(row.expires_at - row.created_at).toBe(24 * 3600 * 1000);
  });

  it('finds the same faces in the same video, by video_url or by video_id', async () => {
    const video = await makeVideo({ seconds: 8 });
    const a = (await identify({ video_url: files.urlOf(video) })).json.data;
    const b = (await identify({ video_id: await storeVideo(server, server.creds.tenant_id, video) })).json.data;
    const strip = (d: any) => d.face_data.map(({ face_image: _, ...rest }: any) => rest);
    expect(strip(a)).toEqual(strip(b));
    expect(a.session_id).not.toBe(b.session_id);
  });

  it('places a second face in some longer videos, on screen at least 2 s, within the video', () => {
    expect(placeFaces(1, 8, 1280, 720).map((f) => f.face_id)).toEqual(['0']);
    const two = placeFaces(3 * 12345, 8, 1280, 720);
    expect(two.map((f) => [f.face_id, f.end_ms])).toEqual([['0', 8000], ['1', 8000]]);
    expect(two[1].end_ms - two[1].start_ms).toBeGreaterThanOrEqual(2000);
    expect(two[0].box.x + two[0].box.width).toBeLessThanOrEqual(two[1].box.x);
    for (const f of two) expect(f.box.x + f.box.width <= 1280 && f.box.y + f.box.height <= 720).toBe(true);
    // Short videos show one face only.
    expect(placeFaces(0, 3, 1280, 720)).toHaveLength(1);
  });

  it('takes the caller\'s own videos of the last 30 days up to 60 s; another tenant\'s or an unknown id is not found', async () => {
    const me = server.creds.tenant_id;
    const other = await server.addTenant('other-face');
    const small = await makeVideo({ seconds: 60, width: 320, height: 240 });
    expect((await identify({ video_id: await storeVideo(server, me, small) })).json.data.face_data[0].end_time).toBe(60000);
    await refused({ video_id: await storeVideo(server, me, await makeVideo({ seconds: 61, width: 320, height: 240 })) }, 1201,
      /^video_id: the video lasts 61 s; it must last at most 60 s/);
    const theirs = await storeVideo(server, other.tenant_id, small);
    await refused({ video_id: theirs }, 1203, /^video_id: no video '\d+' among your videos of the last 30 days/);
    await refused({ video_id: await storeVideo(server, me, small, 30.5) }, 1203, /^video_id: no video/);
    await refused({ video_id: '42' }, 1203, /^video_id: no video '42'/);
    expect((await identify({ video_id: theirs }, other.api_key)).json.code).toBe(0);
  });

  it('holds uploads to 2–60 s, 512–2160 px, mp4/mov, and a URL that answers', async () => {
    expect((await identify({ video_url: files.urlOf(await makeVideo({ seconds: 2, width: 512, height: 512 })) })).json.code).toBe(0);
    await refused({ video_url: files.urlOf(await makeVideo({ seconds: 1.5 })) }, 1201, /^video_url: the video lasts 1\.5 s; it must last 2–60 s/);
    await refused({ video_url: files.urlOf(await makeVideo({ seconds: 3, width: 480, height: 360 })) }, 1201,
      /^video_url: width and height must be between 512 and 2160 px \(got 480x360\)/);
    await refused({ video_url: files.urlOf(await makeVideo({ seconds: 3, container: 'mkv' })) }, 1201, /^video_url: not a readable video/);
    await refused({ video_url: files.missing }, 1201, /^video_url: could not download video \(HTTP 404/);
    await refused({ video_url: '', video_id: '' }, 1201, /^one of video_id and video_url is required/);
    await refused({ video_url: files.missing, video_id: '1' }, 1201, /^only one of video_id and video_url/);
  });

  it('refuses a tenant whose video units are used up with 1102, before any work', async () => {
    const broke = await createTenant(server.kiln.db, { name: 'broke-face', packs: [{ type: 'video', units: 0 }] });
    const res = await identify({ video_url: files.urlOf(await makeVideo({ seconds: 5 })) }, broke.api_key);
    expect([res.status, res.json.code]).toEqual([429, 1102]);
  });
});
