// Multi-elements selection sessions (spec §2.6) against a real server: init-selection on a stored or uploaded video
// with the documented limits, marks whose RLE (decoded by Kling's own sample code) and PNG show the same mask, the
// 10-frame / 10-point limits, exact-match deletes, clear, a preview made of real files, and sessions that are
// private, expire after 24 h and are of one kind.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';
import {
  download, expireSession, makeImage, makeVideo, pngPixels, probeUrl, startFileServer, storeVideo, type FileServer,
} from './helpers/action-fixtures.ts';
import { klingDecode } from './helpers/kling-rle.ts';
import { fileStamps } from './helpers/file-stamps.ts';

let server: TestServer;
let files: FileServer;
let other: { api_key: string; tenant_id: string };
const ME = '/v1/videos/multi-elements';
const point = { x: 0.7738498789346246, y: 0.297142857142857 };

beforeAll(async () => {
  [server, files] = await Promise.all([startTestServer(), startFileServer()]);
  other = await server.addTenant('other-me');
});
afterAll(async () => { await Promise.all([server.close(), files.close()]); });

const post = (route: string, body: unknown, token?: string) => server.api('POST', `${ME}/${route}`, { body, token });
const refused = async (route: string, body: unknown, code: number, message: RegExp, token?: string) => {
  const res = await post(route, body, token);
  expect({ code: res.json.code, message: res.json.message }).toMatchObject({ code, message: expect.stringMatching(message) });
  expect(res.status).toBe(code === 1203 ? 404 : 400);
};
async function openSession(seconds = 5): Promise<string> {
  const res = await post('init-selection', { video_id: '', video_url: files.urlOf(await makeVideo({ seconds })) });
  expect(res.json.code).toBe(0);
  return res.json.data.session_id;
}

describe('init-selection', () => {
  it('opens a session on the documented example body (video_url, video_id ""), with the real frame facts', async () => {
    const res = await post('init-selection', { video_id: '', video_url: files.urlOf(await makeVideo({ seconds: 5, audio: true })) });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({
      status: 0, session_id: expect.stringMatching(/^\d{18,19}$/), final_unit_deduction: '0',
      fps: 24, original_duration: 5000, width: 1280, height: 720, total_frame: 120, normalized_video: expect.any(String),
    });
    const normalized = await probeUrl(res.json.data.normalized_video);
    expect(normalized.video).toMatchObject({ codec: 'h264', width: 1280, height: 720, fps: 24, frames: 120 });
    expect(normalized.audio?.codec).toBe('aac');
    expect(normalized.durationSeconds).toBeCloseTo(5, 1);
  });

  it('takes the caller\'s own Kling video by video_id; the length must be 2–5 s or 7–10 s, both edges', async () => {
    const me = server.creds.tenant_id;
    for (const seconds of [2, 5, 7, 10]) {
      const res = await post('init-selection', { video_id: await storeVideo(server, me, await makeVideo({ seconds })) });
      expect([seconds, res.json.code, res.json.data?.original_duration]).toEqual([seconds, 0, seconds * 1000]);
    }
    for (const seconds of [1.5, 6, 11]) {
      await refused('init-selection', { video_id: await storeVideo(server, me, await makeVideo({ seconds })) }, 1201,
        new RegExp(`^video_id: the video lasts ${seconds} s; it must last 2–5 s or 7–10 s`));
    }
  });

  it('opens a session on a video the simulator made (text2video → video_id), as a Kling client would', async () => {
    const created = await server.api('POST', '/v1/videos/text2video', { body: { prompt: 'a chick on a lawn', duration: '5' } });
    const task = (await waitForTask(server, '/v1/videos/text2video', created.json.data.task_id)).json.data;
    const video = task.task_result.videos[0];
    const made = await probeUrl(video.url);
    const res = await post('init-selection', { video_id: video.id, video_url: '' });
    expect(res.json.data).toMatchObject({
      status: 0, fps: made.video?.fps, original_duration: Math.round(made.durationSeconds * 1000), total_frame: made.video?.frames,
      width: made.video?.width, height: made.video?.height,
    });
    const normalized = await probeUrl(res.json.data.normalized_video);
    expect([normalized.video?.width, normalized.video?.height]).toEqual([res.json.data.width, res.json.data.height]);
  });

  it('answers another tenant\'s video, a video past 30 days and an unknown id as not existing (1203)', async () => {
    const video = await makeVideo({ seconds: 5 });
    const theirs = await storeVideo(server, other.tenant_id, video);
    await refused('init-selection', { video_id: theirs }, 1203, /^video_id: no video '\d+' among your videos of the last 30 days/);
    expect((await post('init-selection', { video_id: theirs }, other.api_key)).json.code).toBe(0);
    await refused('init-selection', { video_id: await storeVideo(server, server.creds.tenant_id, video, 31) }, 1203, /^video_id: no video/);
    expect((await post('init-selection', { video_id: await storeVideo(server, server.creds.tenant_id, video, 29) })).json.code).toBe(0);
    await refused('init-selection', { video_id: '123456789' }, 1203, /^video_id: no video '123456789'/);
  });

  it('holds uploads to the documented limits: mp4/mov, 720–2160 px, 24/30/60 fps, and a URL that answers', async () => {
    expect((await post('init-selection', { video_url: files.urlOf(await makeVideo({ seconds: 3, container: 'mov', fps: 30 })) })).json.data)
      .toMatchObject({ fps: 30, total_frame: 90, original_duration: 3000 });
    expect((await post('init-selection', { video_url: files.urlOf(await makeVideo({ seconds: 2, width: 720, height: 1280, fps: 60 })) })).json.data)
      .toMatchObject({ width: 720, height: 1280, fps: 60 });
    await refused('init-selection', { video_url: files.missing }, 1201, /^video_url: could not download video \(HTTP 404/);
    await refused('init-selection', { video_url: files.urlOf(await makeImage(800, 800), '.mp4') }, 1201,
      /^video_url: not a readable video \(mp4 or mov expected\)/);
    await refused('init-selection', { video_url: files.urlOf(await makeVideo({ seconds: 3, container: 'mkv' })) }, 1201, /mp4 or mov expected/);
    await refused('init-selection', { video_url: files.urlOf(await makeVideo({ seconds: 3, width: 640, height: 360 })) }, 1201,
      /^video_url: width and height must be between 720 and 2160 px \(got 640x360\)/);
    await refused('init-selection', { video_url: files.urlOf(await makeVideo({ seconds: 3, fps: 25 })) }, 1201,
      /^video_url: frame rate must be 24, 30, 60 fps \(got 25 fps\)/);
    await refused('init-selection', { video_url: files.urlOf(await makeVideo({ seconds: 6 })) }, 1201, /^video_url: the video lasts 6 s/);
  });

  it('needs exactly one of video_id and video_url', async () => {
    await refused('init-selection', { video_id: '', video_url: '' }, 1201, /^one of video_id and video_url is required/);
    await refused('init-selection', { video_id: '1', video_url: files.missing }, 1201, /^only one of video_id and video_url/);
  });
});

describe('marking frames', () => {
  it('add-selection answers the mask as RLE and PNG of the same pixels, around the clicked point', async () => {
    const session = await openSession();
    const res = await post('add-selection', { session_id: session, frame_index: 0, points: [point] });
    expect(res.json.data).toMatchObject({ status: 0, session_id: session, final_unit_deduction: '0', res: { frame_index: 0 } });
    const [object] = res.json.data.res.rle_mask_list;
    expect(object.object_id).toBe(0);
    expect(object.rle_mask.size).toEqual([720, 1280]);
    expect(object.png_mask.size).toEqual([720, 1280]);
    const png = await pngPixels(Buffer.from(object.png_mask.base64, 'base64'));
    expect([png.format, png.width, png.height]).toEqual(['png', 1280, 720]);
    const decoded = klingDecode(object.rle_mask);
    const fromPng = Uint8Array.from(png.pixels, (v) => (v > 127 ? 1 : 0));
    expect(Buffer.from(decoded).equals(Buffer.from(fromPng))).toBe(true);
    const inside = decoded.reduce((a, b) => a + b, 0);
    expect(inside / decoded.length).toBeGreaterThan(0.01);
    expect(inside / decoded.length).toBeLessThan(0.2);
    expect(decoded[Math.floor(point.y * 720) * 1280 + Math.floor(point.x * 1280)]).toBe(1);
    expect(decoded[0]).toBe(0);
    // The documented delete-selection body: the same point on the same frame.
    const deleted = await post('delete-selection', { session_id: session, frame_index: 0, points: [point] });
    expect(deleted.json.data).toMatchObject({ status: 0, session_id: session, res: { frame_index: 0 } });
  });

  it('points add up per frame to 10; at most 10 frames; frame_index below total_frame', async () => {
    const session = await openSession();
    const grid = (n: number, row = 0.5) => Array.from({ length: n }, (_, i) => ({ x: 0.05 + i * 0.09, y: row }));
    expect((await post('add-selection', { session_id: session, frame_index: 3, points: grid(6) })).json.code).toBe(0);
    // The same point again is not a second point.
    expect((await post('add-selection', { session_id: session, frame_index: 3, points: grid(6) })).json.code).toBe(0);
    await refused('add-selection', { session_id: session, frame_index: 3, points: grid(5, 0.2) }, 1201,
      /^points: at most 10 points can be marked on one frame \(frame 3 would have 11\)/);
    expect((await post('add-selection', { session_id: session, frame_index: 3, points: grid(4, 0.2) })).json.code).toBe(0);
    for (const frame of [0, 10, 20, 30, 40, 50, 60, 70, 119]) {
      expect((await post('add-selection', { session_id: session, frame_index: frame, points: [point] })).json.code).toBe(0);
    }
    await refused('add-selection', { session_id: session, frame_index: 80, points: [point] }, 1201,
      /^frame_index: at most 10 frames can be marked in a session \(marked: 0, 3, 10, 20, 30, 40, 50, 60, 70, 119\)/);
    // A frame already marked still takes points.
    expect((await post('add-selection', { session_id: session, frame_index: 119, points: [{ x: 0.1, y: 0.1 }] })).json.code).toBe(0);
    await refused('add-selection', { session_id: session, frame_index: 120, points: [point] }, 1201, /^frame_index: must be less than the video's total_frame \(120\)/);
    await refused('add-selection', { session_id: session, frame_index: 0, points: grid(11) }, 1201, /^points must have at most 10 items/);
    await refused('add-selection', { session_id: session, frame_index: 0, points: [{ x: 1.01, y: 0 }] }, 1201, /^points\[0\]\.x must be at most 1/);
  });

  it('delete-selection removes exactly the added points; a frame left empty is unmarked', async () => {
    const session = await openSession();
    const a = { x: 0.25, y: 0.25 };
    const b = { x: 0.75, y: 0.75 };
    const both = await post('add-selection', { session_id: session, frame_index: 5, points: [a, b] });
    const count = (data: any) => klingDecode(data.res.rle_mask_list[0].rle_mask).reduce((s: number, v: number) => s + v, 0);
    await refused('delete-selection', { session_id: session, frame_index: 5, points: [{ x: 0.25 + 1e-9, y: 0.25 }] }, 1201,
      /^points\[0\]: \(0\.250000001, 0\.25\) is not marked on frame 5; coordinates must equal the added ones exactly/);
    await refused('delete-selection', { session_id: session, frame_index: 6, points: [a] }, 1201, /^frame_index: no points are marked on frame 6/);
    const one = await post('delete-selection', { session_id: session, frame_index: 5, points: [b] });
    expect(one.json.data.res.frame_index).toBe(5);
    expect(count(one.json.data)).toBeLessThan(count(both.json.data));
    const none = await post('delete-selection', { session_id: session, frame_index: 5, points: [a] });
    expect(count(none.json.data)).toBe(0);
    await refused('delete-selection', { session_id: session, frame_index: 5, points: [a] }, 1201, /no points are marked on frame 5/);
    await refused('preview-selection', { session_id: session }, 1201, /^session_id: nothing is marked yet/);
  });

  it('clear-selection forgets every mark', async () => {
    const session = await openSession();
    await post('add-selection', { session_id: session, frame_index: 0, points: [point] });
    expect((await post('clear-selection', { session_id: session })).json.data).toEqual({ status: 0, session_id: session, final_unit_deduction: '0' });
    await refused('preview-selection', { session_id: session }, 1201, /nothing is marked yet/);
    await refused('delete-selection', { session_id: session, frame_index: 0, points: [point] }, 1201, /no points are marked on frame 0/);
  });
});

describe('preview-selection', () => {
  it('answers the tinted video, its cover and the per-frame masks as real files', async () => {
    const session = await openSession();
    await post('add-selection', { session_id: session, frame_index: 0, points: [{ x: 0.2, y: 0.3 }] });
    const marked = await post('add-selection', { session_id: session, frame_index: 100, points: [{ x: 0.8, y: 0.7 }] });
    const res = await post('preview-selection', { session_id: session });
    expect(res.json.data).toMatchObject({ status: 0, session_id: session, final_unit_deduction: '0' });
    const { video, video_cover, tracking_output } = res.json.data.res;
    const preview = await probeUrl(video);
    expect(preview.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
    expect(preview.durationSeconds).toBeCloseTo(5, 1);
    const cover = await pngPixels(await download(video_cover));
    expect([cover.format, cover.width, cover.height]).toEqual(['jpeg', 1280, 720]);
    const tracking = await probeUrl(tracking_output);
    expect(tracking.video).toMatchObject({ width: 1280, height: 720 });
    expect(tracking.durationSeconds).toBeCloseTo(5, 1);
    // Frame 100 of the tracking video is the mask answered for frame 100 (up to compression at the edge).
    const frame = await frameLuma(tracking.file, 100);
    const mask = klingDecode(marked.json.data.res.rle_mask_list[0].rle_mask);
    let agree = 0;
    for (let i = 0; i < mask.length; i++) if ((frame[i] > 127 ? 1 : 0) === mask[i]) agree++;
    expect(agree / mask.length).toBeGreaterThan(0.99);
    // An unchanged selection is not rendered again: the same three files answer, untouched.
    const previewFiles = fileStamps(server.dataDir, /^preview-/);
    expect(Object.keys(previewFiles)).toHaveLength(3);
    expect((await post('preview-selection', { session_id: session })).json.data.res.video.split('?')[0]).toBe(video.split('?')[0]);
    expect(fileStamps(server.dataDir, /^preview-/)).toEqual(previewFiles);
  });
});

describe('sessions', () => {
  it('are the caller\'s own: another tenant\'s session is answered as unknown', async () => {
    const session = await openSession();
    for (const [route, body] of [
      ['add-selection', { session_id: session, frame_index: 0, points: [point] }],
      ['delete-selection', { session_id: session, frame_index: 0, points: [point] }],
      ['clear-selection', { session_id: session }],
      ['preview-selection', { session_id: session }],
    ] as const) {
      await refused(route, body, 1203, new RegExp(`^session_id: no session '${session}'; open one with multi-elements/init-selection`), other.api_key);
      await refused(route, { ...body, session_id: '999' }, 1203, /^session_id: no session '999'/);
    }
  });

  it('expire 24 h after init-selection', async () => {
    const session = await openSession();
    await expireSession(server, session);
    for (const route of ['add-selection', 'clear-selection', 'preview-selection']) {
      await refused(route, { session_id: session, frame_index: 0, points: [point] }, 1201,
        /^session_id: session '\d+' expired at .* \(sessions are valid for 24 hours\); open a new one with multi-elements\/init-selection/);
    }
  });

  it('are of one kind: an identify-face session is not a multi-elements one', async () => {
    const face = await server.api('POST', '/v1/videos/identify-face', { body: { video_url: files.urlOf(await makeVideo({ seconds: 3 })) } });
    expect(face.json.code).toBe(0);
    await refused('clear-selection', { session_id: face.json.data.session_id }, 1201,
      /^session_id: session '\d+' was opened by identify-face, not by multi-elements\/init-selection/);
  });

  it('are served under the reseller prefixes too', async () => {
    const session = await openSession();
    const res = await server.api('POST', `/kling${ME}/clear-selection`, { body: { session_id: session } });
    expect(res.json.data.session_id).toBe(session);
  });
});

/** The luma plane of one frame of a video, as 0–255 per pixel. */
async function frameLuma(file: string, index: number): Promise<Uint8Array> {
  const { runProcess } = await import('../packages/server/src/engines/simulator/media/run-process.ts');
  const { ffmpegPath } = await import('../packages/server/src/engines/simulator/media/ffmpeg-paths.ts');
  const { stdout } = await runProcess(ffmpegPath(), [
    '-v', 'error', '-i', file, '-vf', `select=eq(n\\,${index})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-',
  ], { captureStdout: true });
  return new Uint8Array(stdout);
}
