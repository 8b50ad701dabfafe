// Advanced lip-sync and multi-elements through the HTTP API, on sessions opened by identify-face and init-selection:
// the session's video comes back whole (length, size, frame rate), the lip-sync clip is heard where it was inserted
// and a mouth moves over the chosen face while it plays; multi-elements adds, swaps and removes visibly; parent_video,
// session_id, watermark copies and units are shown; a session gone before the render fails the task cleanly.

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../packages/server/src/engines/simulator/media/ffmpeg-paths.ts';
import { runProcess } from '../packages/server/src/engines/simulator/media/run-process.ts';
import { framePng, type Crop } from '../packages/server/src/engines/simulator/media/session-video.ts';
import { startTestServer, tempDir, waitForTask, type TestServer } from './helpers/test-server.ts';
import { makeVideo, probeUrl, startFileServer, storeVideo, type FileServer } from './helpers/action-fixtures.ts';
import { sampleSound } from './helpers/sdk-samples.ts';
import { addCustomVoice } from '../packages/server/src/store/custom-assets.ts';
import { deleteSession, findSession } from '../packages/server/src/store/sessions.ts';

const LIP_SYNC = '/v1/videos/advanced-lip-sync';
const ME = '/v1/videos/multi-elements';
const looks = tempDir('kiln-lip-sync-look-');

let server: TestServer;
let files: FileServer;
beforeAll(async () => { [server, files] = await Promise.all([startTestServer(), startFileServer()]); });
afterAll(async () => { await Promise.all([server?.close(), files?.close()]); });

async function finished(route: string, body: object, headers?: Record<string, string>) {
  const created = await server.api('POST', route, { body, headers });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  return (await waitForTask(server, route, created.json.data.task_id, 90_000)).json.data;
}

async function faceSession(video: string): Promise<{ sessionId: string; box: Crop }> {
  const res = await server.api('POST', '/v1/videos/identify-face', { body: { video_url: files.urlOf(video) } });
  expect(res.json.code, res.json.message).toBe(0);
  const sessionId = res.json.data.session_id;
  const row = (await findSession(server.kiln.db, server.creds.tenant_id, sessionId))!;
  return { sessionId, box: JSON.parse(row.state_json).faces[0].box };
}

async function selectionSession(video: string, points?: { x: number; y: number }[]): Promise<string> {
  const res = await server.api('POST', `${ME}/init-selection`, { body: { video_url: files.urlOf(video) } });
  expect(res.json.code, res.json.message).toBe(0);
  const sessionId = res.json.data.session_id;
  if (points) {
    const marked = await server.api('POST', `${ME}/add-selection`, { body: { session_id: sessionId, frame_index: 0, points } });
    expect(marked.json.code, marked.json.message).toBe(0);
  }
  return sessionId;
}

/** Mean loudness (dBFS) of [from, from + seconds) of a file's sound; -91 for digital silence. */
async function meanVolume(file: string, from: number, seconds: number): Promise<number> {
  const { stderr } = await runProcess(ffmpegPath(), [
    '-nostdin', '-hide_banner', '-ss', String(from), '-t', String(seconds), '-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-',
  ]);
  const match = /mean_volume: (-?[\d.]+|-inf) dB/.exec(stderr);
  return !match || match[1] === '-inf' ? -91 : Number(match[1]);
}

/** Mean absolute difference (0–255) between two frames inside `box`. */
async function frameDifference(a: string, b: string, seconds: number, box: Crop): Promise<number> {
  const [pa, pb] = await Promise.all([a, b].map(async (f) =>
    sharp(await framePng(f, seconds, box)).removeAlpha().raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < pa.length; i++) sum += Math.abs(pa[i] - pb[i]);
  return sum / pa.length;
}

/** The average colour of `box` in the frame at `seconds`. */
async function meanColour(file: string, seconds: number, box: Crop): Promise<[number, number, number]> {
  const { channels } = await sharp(await framePng(file, seconds, box)).stats();
  return [channels[0].mean, channels[1].mean, channels[2].mean].map(Math.round) as [number, number, number];
}

const solid = (r: number, g: number, b: number) =>
  sharp({ create: { width: 300, height: 400, channels: 3, background: { r, g, b } } }).png().toBuffer().then((p) => p.toString('base64'));

describe('advanced-lip-sync', () => {
  it('keeps the session video whole; the clip is heard only in its window; a mouth moves on the face meanwhile', async () => {
    const video = await makeVideo({ seconds: 5 });
    const { sessionId, box } = await faceSession(video);
    const sound = files.urlOf(sampleSound(3), '.wav');
    const task = await finished(LIP_SYNC, {
      session_id: sessionId,
      face_choose: [{ face_id: '0', sound_file: sound, sound_start_time: 500, sound_end_time: 2500, sound_insert_time: 1500 }],
      external_task_id: '', callback_url: '',
    });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(task.final_unit_deduction).toBe('0.5');
    expect(task.task_info.parent_video).toEqual({ id: '', url: expect.stringContaining('127.0.0.1'), duration: '5' });
    const [result] = task.task_result.videos;
    expect(result).toEqual({ id: task.task_id, url: expect.stringContaining('/media/'), duration: expect.any(String) });
    const out = await probeUrl(result.url);
    expect(out.video).toMatchObject({ width: 1280, height: 720, fps: 24 });
    expect(Math.abs(out.durationSeconds - 5)).toBeLessThan(0.1);
    expect(Number(result.duration)).toBeCloseTo(out.durationSeconds, 1);
    expect(out.audio).toBeDefined();

    // The source is silent: the tone is all there is, from 1.5 s to 3.5 s.
    const [before, during, after] = await Promise.all([meanVolume(out.file, 0.2, 1.1), meanVolume(out.file, 1.7, 1.6), meanVolume(out.file, 3.8, 1)]);
    console.log(`lip-sync loudness before/during/after the clip: ${before} / ${during} / ${after} dB`);
    expect(during).toBeGreaterThan(-20);
    expect(before).toBeLessThan(-60);
    expect(after).toBeLessThan(-60);

    // The lower half of the face changes while the clip plays, and not before or after it.
    const mouth = { x: box.x, y: box.y + box.height / 2, width: box.width, height: box.height / 2 };
    const [still, speaking, done] = await Promise.all([0.8, 2.5, 4.5].map((t) => frameDifference(video, out.file, t, mouth)));
    console.log(`lip-sync frame difference over the mouth at 0.8 s / 2.5 s / 4.5 s: ${still.toFixed(1)} / ${speaking.toFixed(1)} / ${done.toFixed(1)}`);
    expect(speaking).toBeGreaterThan(15);
    expect(still).toBeLessThan(6);
    expect(done).toBeLessThan(6);
    fs.writeFileSync(path.join(looks, 'lip-sync-2.5s.png'), await framePng(out.file, 2.5));
  });

  it('mixes the clip with the video\'s own sound at each volume; takes a TTS audio_id; watermarks a copy', async () => {
    const video = await makeVideo({ seconds: 5, audio: true });
    const { sessionId } = await faceSession(video);
    const tts = await server.api('POST', '/v1/audio/tts', { body: { text: 'one two three four five six seven eight nine ten', voice_id: 'oversea_male1', voice_language: 'en' } });
    expect(tts.json.code, tts.json.message).toBe(0);
    const audioId = tts.json.data.task_result.audios[0].id;
    const lipSync = (face: object) => finished(LIP_SYNC, {
      session_id: sessionId, face_choose: [{ face_id: '0', audio_id: audioId, sound_start_time: 0, sound_end_time: 2000, sound_insert_time: 2000, ...face }],
      watermark_info: { enabled: true },
    });
    const [muted, kept] = await Promise.all([lipSync({ original_audio_volume: 0 }), lipSync({ original_audio_volume: 1, sound_volume: 0 })]);
    for (const task of [muted, kept]) expect(task.task_status, task.task_status_msg).toBe('succeed');
    const [mutedOut, keptOut] = await Promise.all([muted, kept].map((t) => probeUrl(t.task_result.videos[0].url)));
    // The source's 330 Hz tone is gone outside the clip when its volume is 0, and there when it is 1.
    expect(await meanVolume(mutedOut.file, 0.2, 1.5)).toBeLessThan(-60);
    expect(await meanVolume(mutedOut.file, 2.1, 1.8)).toBeGreaterThan(-40);
    expect(await meanVolume(keptOut.file, 0.2, 1.5)).toBeGreaterThan(-30);

    const marked = await probeUrl(muted.task_result.videos[0].watermark_url);
    expect(marked.video).toMatchObject({ width: 1280, height: 720 });
    expect(marked.audio).toBeDefined();
    expect(await frameDifference(mutedOut.file, marked.file, 1, { x: 0, y: 600, width: 300, height: 120 })).toBeGreaterThan(5);
  });

  it('shows a stored video_id as the parent; a session gone before the render fails the task, unbilled', async () => {
    const video = await makeVideo({ seconds: 4 });
    const videoId = await storeVideo(server, server.creds.tenant_id, video);
    const res = await server.api('POST', '/v1/videos/identify-face', { body: { video_id: videoId } });
    const sessionId = res.json.data.session_id;
    const body = { session_id: sessionId, face_choose: [{ face_id: '0', sound_file: sampleSound(2).toString('base64'), sound_start_time: 0, sound_end_time: 2000, sound_insert_time: 0 }] };
    const task = await finished(LIP_SYNC, body);
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(task.task_info.parent_video).toEqual({ id: videoId, url: expect.stringContaining(`/media/`), duration: '4' });
    expect((await probeUrl(task.task_info.parent_video.url)).durationSeconds).toBeCloseTo(4, 1);

    const created = await server.api('POST', LIP_SYNC, { body, headers: { 'x-kiln-simulate': 'delay=1s' } });
    expect(created.json.code).toBe(0);
    await deleteSession(server.kiln.db, sessionId);
    const failed = (await waitForTask(server, LIP_SYNC, created.json.data.task_id, 30_000)).json.data;
    expect(failed).toMatchObject({ task_status: 'failed', final_unit_deduction: '0' });
    expect(failed.task_status_msg).toBe(`session_id: the session '${sessionId}' is no longer available`);
  });
});

describe('multi-elements', () => {
  const RED = [230, 30, 30] as const;
  const GREEN = [30, 200, 60] as const;
  const selected = { x: 0.3, y: 0.45 };
  // The ellipse add-selection marks around one click: a tenth of the short side (72 px) around (384, 324).
  const inside: Crop = { x: 364, y: 304, width: 40, height: 40 };

  it('addition, swap and removal each edit the session video visibly, listed with session_id and billed per duration', async () => {
    const video = await makeVideo({ seconds: 5 });
    const [red, green] = await Promise.all([solid(...RED), solid(...GREEN)]);
    const [addSession, swapSession] = await Promise.all([selectionSession(video), selectionSession(video, [selected])]);
    const [addition, swap] = await Promise.all([
      finished(ME, { session_id: addSession, edit_mode: 'addition', image_list: [{ image: red }, { image: green }], prompt: 'add <<<image_1>>> and <<<image_2>>> to <<<video_1>>>' }),
      finished(ME, { session_id: swapSession, edit_mode: 'swap', image_list: [{ image: red }], prompt: 'swap the object in <<<video_1>>> for <<<image_1>>>', watermark_info: { enabled: true } }),
    ]);
    for (const [task, sessionId] of [[addition, addSession], [swap, swapSession]] as const) {
      expect(task.task_status, task.task_status_msg).toBe('succeed');
      expect(task.final_unit_deduction).toBe('1.5');
      expect(task.task_result.videos).toEqual([{
        id: task.task_id, session_id: sessionId, url: expect.stringContaining('/media/'), duration: expect.any(String),
        ...(task === swap ? { watermark_url: expect.stringContaining('/media/') } : {}),
      }]);
    }
    const [added, swapped] = await Promise.all([addition, swap].map((t) => probeUrl(t.task_result.videos[0].url)));
    for (const out of [added, swapped]) {
      expect(out.video).toMatchObject({ width: 1280, height: 720, fps: 24 });
      expect(Math.abs(out.durationSeconds - 5)).toBeLessThan(0.1);
    }
    // Addition: the two images stand side by side in the lower part; the selected spot is untouched.
    const slot = (cx: number): Crop => ({ x: Math.round(1280 * cx) - 20, y: 560, width: 40, height: 40 });
    expectNear(await meanColour(added.file, 1, slot(0.3)), RED);
    expectNear(await meanColour(added.file, 1, slot(0.7)), GREEN);
    expect(await frameDifference(video, added.file, 1, inside)).toBeLessThan(6);
    // Swap: the selected element is the image now, and only there.
    expectNear(await meanColour(swapped.file, 1, inside), RED);
    expect(await frameDifference(video, swapped.file, 1, slot(0.7))).toBeLessThan(6);
    fs.writeFileSync(path.join(looks, 'addition-1s.png'), await framePng(added.file, 1));
    fs.writeFileSync(path.join(looks, 'swap-1s.png'), await framePng(swapped.file, 1));
  });

  it('removal fills the selected element from around it; the edit keeps the session video\'s length; pro is 1080p', async () => {
    const video = await makeVideo({ seconds: 3 });
    const sessionId = await selectionSession(video, [selected]);
    const task = await finished(ME, { session_id: sessionId, edit_mode: 'removal', mode: 'pro', prompt: 'remove the object from <<<video_1>>>' });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    // kling-v1-6 pro: 0.5 units a second for the 5 s tier, though the session video lasts 3 s.
    expect(task.final_unit_deduction).toBe('2.5');
    expect(task.task_result.videos[0].session_id).toBe(sessionId);
    const out = await probeUrl(task.task_result.videos[0].url);
    expect(out.video).toMatchObject({ width: 1920, height: 1080, fps: 24 });
    expect(Math.abs(out.durationSeconds - 3)).toBeLessThan(0.1);
    // Scaled to 1080p, the marked spot is 1.5× further in; it no longer shows the source's pattern there.
    const scaled = (c: Crop): Crop => ({ x: c.x * 1.5, y: c.y * 1.5, width: c.width * 1.5, height: c.height * 1.5 });
    const source = await sharp(await framePng(video, 1, inside)).resize(60, 60).removeAlpha().raw().toBuffer();
    const filled = await sharp(await framePng(out.file, 1, scaled(inside))).removeAlpha().raw().toBuffer();
    let difference = 0;
    for (let i = 0; i < source.length; i++) difference += Math.abs(source[i] - filled[i]);
    expect(difference / source.length).toBeGreaterThan(10);
    // Away from the element, the picture is the source's.
    const far = await sharp(await framePng(out.file, 1, { x: 1500, y: 100, width: 90, height: 90 })).resize(60, 60).removeAlpha().raw().toBuffer();
    const farSource = await sharp(await framePng(video, 1, { x: 1000, y: 67, width: 60, height: 60 })).removeAlpha().raw().toBuffer();
    let same = 0;
    for (let i = 0; i < far.length; i++) same += Math.abs(far[i] - farSource[i]);
    expect(same / far.length).toBeLessThan(12);
    fs.writeFileSync(path.join(looks, 'removal-1s.png'), await framePng(out.file, 1));
  });
});

/** Within 25 of each channel (encoding shifts colours a little). */
function expectNear(actual: readonly number[], rgb: readonly number[]) {
  expect(actual.every((v, i) => Math.abs(v - rgb[i]) <= 25), `${actual} is not near ${rgb}`).toBe(true);
}

describe('lip-sync (old endpoint)', () => {
  const OLD = '/v1/videos/lip-sync';

  it('text2video: the whole uploaded video, its face speaking the text; the video\'s own sound is replaced', async () => {
    const video = await makeVideo({ seconds: 4, audio: true });
    const url = files.urlOf(video);
    // Six words at speed 1: 1.5 s of speech (4 words a second).
    const task = await finished(OLD, { input: { video_url: url, mode: 'text2video', text: 'one two three four five six', voice_id: 'oversea_male1', voice_language: 'en' } });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(task.final_unit_deduction).toBe('0.5');
    expect(task.task_info.parent_video).toEqual({ id: '', url, duration: '4' });
    const out = await probeUrl(task.task_result.videos[0].url);
    expect(out.video).toMatchObject({ width: 1280, height: 720, fps: 24 });
    expect(Math.abs(out.durationSeconds - 4)).toBeLessThan(0.1);
    expect(await meanVolume(out.file, 0.1, 1.3)).toBeGreaterThan(-40);
    expect(await meanVolume(out.file, 1.7, 2)).toBeLessThan(-60);
    const { box } = await faceSession(video);
    const mouth = { x: box.x, y: box.y + box.height / 2, width: box.width, height: box.height / 2 };
    expect(await frameDifference(video, out.file, 0.5, mouth)).toBeGreaterThan(15);
    expect(await frameDifference(video, out.file, 3, mouth)).toBeLessThan(6);
    // Queried and listed under its own path.
    const list = await server.api('GET', `${OLD}?pageNum=1&pageSize=10`);
    expect(list.json.data.map((t: any) => t.task_id)).toContain(task.task_id);
  });

  it('audio2video: a stored video_id speaks an audio_url; billed per started 5 s', async () => {
    const videoId = await storeVideo(server, server.creds.tenant_id, await makeVideo({ seconds: 6 }));
    const task = await finished(OLD, { input: { video_id: videoId, mode: 'audio2video', audio_type: 'url', audio_url: files.urlOf(sampleSound(3), '.wav') } });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(task.final_unit_deduction).toBe('1');
    expect(task.task_info.parent_video).toMatchObject({ id: videoId, duration: '6' });
    const out = await probeUrl(task.task_result.videos[0].url);
    expect(Math.abs(out.durationSeconds - 6)).toBeLessThan(0.1);
    expect(await meanVolume(out.file, 0.2, 2.6)).toBeGreaterThan(-20);
    expect(await meanVolume(out.file, 3.3, 2.5)).toBeLessThan(-60);
  });

  it('fails, unbilled and naming the field, what only the media can tell', async () => {
    const text = { mode: 'text2video', text: 'hello', voice_id: 'oversea_male1', voice_language: 'en' };
    const cases: [object, string][] = [
      [{ ...text, video_url: files.urlOf(await makeVideo({ seconds: 1.5 })) }, 'input.video_url: the video lasts 1.5 s; it must last 2–10 s'],
      [{ ...text, video_url: files.urlOf(await makeVideo({ seconds: 3, width: 640, height: 480 })) }, 'input.video_url: each side must be 720–1920 px (720p or 1080p; got 640x480)'],
      [{ ...text, video_url: files.urlOf(await makeVideo({ seconds: 3 })), voice_language: 'zh' }, "input.voice_language: voice 'oversea_male1' speaks 'en', not 'zh' (voice_language defaults to 'zh')"],
    ];
    const tasks = await Promise.all(cases.map(([input]) => finished(OLD, { input })));
    tasks.forEach((task, i) => {
      expect(task).toMatchObject({ task_status: 'failed', task_status_msg: cases[i][1], final_unit_deduction: '0' });
    });
  });

  it("speaks with the caller's custom voice; one deleted before the render fails the task, unbilled", async () => {
    const now = Date.now();
    const voice = { tenant_id: server.creds.tenant_id, task_id: null, name: 'Mine', language: null, trial_file: null, status: 'succeed', created_at: now, updated_at: now };
    await addCustomVoice(server.kiln.db, { ...voice, id: 'custom-voice-kept' });
    await addCustomVoice(server.kiln.db, { ...voice, id: 'custom-voice-gone' });
    const video = await makeVideo({ seconds: 3 });
    const input = (voice_id: string) => ({ video_url: files.urlOf(video), mode: 'text2video', text: 'one two three four', voice_id, voice_language: 'en' });
    const kept = await finished(OLD, { input: input('custom-voice-kept') });
    expect(kept.task_status, kept.task_status_msg).toBe('succeed');

    const created = await server.api('POST', OLD, { body: { input: input('custom-voice-gone') }, headers: { 'x-kiln-simulate': 'delay=1s' } });
    expect(created.json.code).toBe(0);
    const deleted = await server.api('POST', '/v1/general/delete-voices', { body: { voice_id: 'custom-voice-gone' } });
    expect(deleted.json.code).toBe(0);
    const gone = (await waitForTask(server, OLD, created.json.data.task_id, 90_000)).json.data;
    expect(gone).toMatchObject({ task_status: 'failed', task_status_msg: "input.voice_id: voice 'custom-voice-gone' has been deleted", final_unit_deduction: '0' });
  });

  it('refuses at create, naming the field, a voice or a stored video it cannot use', async () => {
    const text = { mode: 'text2video', text: 'hello', voice_id: 'oversea_male1', voice_language: 'en' };
    const refused: [object, string][] = [
      [{ ...text, video_url: 'https://example.com/v.mp4', voice_id: 'nobody' },
        "input.voice_id: no voice 'nobody'; use a preset voice (GET /v1/general/presets-voices) or one of your custom voices"],
      [{ ...text, video_id: await storeVideo(server, server.creds.tenant_id, await makeVideo({ seconds: 3 })) },
        'input.video_id: the video lasts 3 s; it must last 5–10 s'],
    ];
    for (const [input, message] of refused) {
      const res = await server.api('POST', OLD, { body: { input } });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: 1201, message });
    }
  });
});
