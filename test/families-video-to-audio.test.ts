// Video-to-audio through the HTTP API: a soundtrack for one of the caller's own videos (video_id) or an uploaded one
// (video_url), returned as the dubbed video plus mp3/wav of the video's length, with the input as parent_video; and
// the create-time checks of the video_id (own, another tenant's, unknown).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { probeMedia } from '../packages/server/src/engines/simulator/media/probe.ts';
import { startTestServer, tempDir, waitForTask, type TestServer } from './helpers/test-server.ts';
import { startCallbackReceiver } from './helpers/callback-receiver.ts';

const PATH = '/v1/audio/video-to-audio';
let server: TestServer;
let source: { id: string; url: string };
const dir = tempDir('kiln-v2a-');
beforeAll(async () => {
  server = await startTestServer();
  const t2v = '/v1/videos/text2video';
  const created = await server.api('POST', t2v, { body: { model_name: 'kling-v3', prompt: 'a silent street', mode: 'std', duration: '5' } });
  source = (await waitForTask(server, t2v, created.json.data.task_id, 60_000)).json.data.task_result.videos[0];
});
afterAll(async () => { await server?.close(); });

async function probeUrl(url: string, name: string) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return probeMedia(file);
}

async function run(body: object, token?: string) {
  const created = await server.api('POST', PATH, { body, token });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  return (await waitForTask(server, PATH, created.json.data.task_id, 60_000, token)).json.data;
}

describe('video-to-audio', () => {
  it('the documented example with a video_id: the dubbed video and mp3/wav as long as the video, parent_video', async () => {
    const task = await run({ video_id: source.id, sound_effect_prompt: 'cars passing', bgm_prompt: 'calm piano', asmr_mode: false, external_task_id: '', callback_url: '' });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(task.task_info.parent_video).toMatchObject({ id: source.id, duration: '5' });
    expect((await probeUrl(task.task_info.parent_video.url, 'parent.mp4')).durationSeconds).toBeCloseTo(5, 1);

    const [video] = task.task_result.videos;
    const [audio] = task.task_result.audios;
    expect(video).toMatchObject({ id: task.task_id, duration: '5' });
    expect(audio).toMatchObject({ duration_mp3: '5', duration_wav: '5' });
    expect(audio.id).not.toBe(video.id);
    const dubbed = await probeUrl(video.url, 'dubbed.mp4');
    expect(dubbed.video?.codec).toBe('h264');
    expect(dubbed.audio?.codec).toBe('aac');
    expect(dubbed.durationSeconds).toBeCloseTo(5, 1);
    expect((await probeUrl(audio.url_wav, 'sound.wav')).durationSeconds).toBeCloseTo(5, 2);
    expect(Math.abs((await probeUrl(audio.url_mp3, 'sound.mp3')).durationSeconds - 5)).toBeLessThan(0.03);
    expect(task.final_unit_deduction).toBe('0.25');
  });

  it('an uploaded video_url: parent_video carries the URL', async () => {
    const task = await run({ video_url: source.url, sound_effect_prompt: 'rain' });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(task.task_info.parent_video).toEqual({ id: '', url: source.url, duration: '5' });
    expect((await probeUrl(task.task_result.videos[0].url, 'dubbed-url.mp4')).audio?.codec).toBe('aac');
  });

  it('the callback carries the finished task with parent_video, videos and audios; the list finds it', async () => {
    const receiver = await startCallbackReceiver();
    try {
      const task = await run({ video_id: source.id, callback_url: receiver.url, external_task_id: 'v2a-callback' });
      const calls = await receiver.waitFor((all) => all.some((c) => JSON.parse(c.body).task_status === 'succeed'), 10_000);
      const payload = JSON.parse(calls.find((c) => JSON.parse(c.body).task_status === 'succeed')!.body);
      expect(payload.task_id).toBe(task.task_id);
      expect(payload.task_info).toMatchObject({ external_task_id: 'v2a-callback', parent_video: { id: source.id } });
      expect(payload.task_result.videos).toHaveLength(1);
      expect(payload.task_result.audios).toHaveLength(1);
      const byExternal = await server.api('GET', `${PATH}/v2a-callback`);
      expect(byExternal.json.data.task_id).toBe(task.task_id);
      const list = await server.api('GET', `${PATH}?pageNum=1&pageSize=30`);
      expect(list.json.data.map((t: { task_id: string }) => t.task_id)).toContain(task.task_id);
    } finally {
      await receiver.close();
    }
  });

  it('an unreadable video_url fails the task with a message naming the field', async () => {
    const task = await run({ video_url: task404() });
    expect(task.task_status).toBe('failed');
    expect(task.task_status_msg).toMatch(/^video_url: /);
  });

  it('refuses another tenant\'s, an unknown and a malformed choice of video with 1201 naming the field', async () => {
    const other = await server.addTenant('other');
    const theirs = await server.api('POST', PATH, { body: { video_id: source.id }, token: other.api_key });
    expect(theirs.status).toBe(400);
    expect(theirs.json.code).toBe(1201);
    expect(theirs.json.message).toContain(`video_id: no video '${source.id}'`);
    const unknown = await server.api('POST', PATH, { body: { video_id: '123456789012345678' } });
    expect(unknown.json).toMatchObject({ code: 1201 });
    expect(unknown.json.message).toMatch(/^video_id: no video '123456789012345678'/);
    for (const body of [{}, { video_id: source.id, video_url: source.url }]) {
      const res = await server.api('POST', PATH, { body });
      expect(res.json.code).toBe(1201);
      expect(res.json.message).toMatch(/video_id|video_url/);
    }
  });
});

/** A URL on the test server that answers 404. */
const task404 = () => `${server.url}/media/1/missing.mp4`;
