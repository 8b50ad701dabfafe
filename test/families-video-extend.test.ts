// Video extension through the HTTP API: the parent (a kling-v1.x video of the caller's) plus 5 s, at the parent's
// size, listed with the parent as task_info.parent_video; the extension of an extension; and the create-time checks
// of video_id (own, another tenant's, unknown, a video of another model, a result past 3 minutes).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { probeMedia } from '../packages/server/src/engines/simulator/media/probe.ts';
import { setOutputSeconds } from '../packages/server/src/store/outputs.ts';
import { startTestServer, tempDir, waitForTask, type TestServer } from './helpers/test-server.ts';

const PATH = '/v1/videos/video-extend';
const T2V = '/v1/videos/text2video';
let server: TestServer;
let parent: { id: string; url: string };
const dir = tempDir('kiln-extend-');

async function finished(familyPath: string, body: object) {
  const created = await server.api('POST', familyPath, { body });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  return (await waitForTask(server, familyPath, created.json.data.task_id, 60_000)).json.data;
}

async function probeUrl(url: string, name: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
  return probeMedia(file);
}

beforeAll(async () => {
  server = await startTestServer();
  parent = (await finished(T2V, { model_name: 'kling-v1-6', prompt: 'a boat', mode: 'pro', aspect_ratio: '9:16', duration: '5' })).task_result.videos[0];
});
afterAll(async () => { await server?.close(); });

describe('video-extend', () => {
  it('the parent plus 5 s at the parent\'s size and frame rate, parent_video listed; an extension extends again', async () => {
    const task = await finished(PATH, { video_id: parent.id, prompt: 'the boat sails on', callback_url: '', external_task_id: '' });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(task.task_info.parent_video).toMatchObject({ id: parent.id, duration: '5' });
    const [video] = task.task_result.videos;
    expect(Number(video.duration)).toBeCloseTo(10, 1);
    const [before, after] = [await probeUrl(parent.url, 'parent.mp4'), await probeUrl(video.url, 'extended.mp4')];
    expect(after.durationSeconds).toBeCloseTo(10, 1);
    expect(after.video).toMatchObject({ codec: 'h264', width: before.video!.width, height: before.video!.height });
    expect(after.video!.fps).toBeCloseTo(before.video!.fps, 1);
    expect(task.final_unit_deduction).toBe('1.5');

    const again = await finished(PATH, { video_id: video.id });
    expect(Number(again.task_result.videos[0].duration)).toBeCloseTo(15, 1);
    expect(again.task_info.parent_video.id).toBe(video.id);
  });

  it('refuses another tenant\'s, an unknown and a kling-v3 video with 1201 naming video_id', async () => {
    const other = await server.addTenant('other-extend');
    const theirs = await server.api('POST', PATH, { body: { video_id: parent.id }, token: other.api_key });
    expect(theirs.json.code).toBe(1201);
    expect(theirs.json.message).toContain(`video_id: no video '${parent.id}'`);
    const unknown = await server.api('POST', PATH, { body: { video_id: '123456789012345678' } });
    expect(unknown.json.code).toBe(1201);
    const v3 = (await finished(T2V, { model_name: 'kling-v3', prompt: 'x', mode: 'std', duration: '3' })).task_result.videos[0];
    const wrong = await server.api('POST', PATH, { body: { video_id: v3.id } });
    expect(wrong.json.code).toBe(1201);
    expect(wrong.json.message).toMatch(/^video_id: .*kling-v3/);
    const missing = await server.api('POST', PATH, { body: { prompt: 'no video' } });
    expect(missing.json.code).toBe(1201);
    expect(missing.json.message).toMatch(/video_id/);
  });

  it('refuses a parent whose extension would pass 3 minutes', async () => {
    // The stored length is what the check reads: a parent recorded at 176 s cannot take 5 s more.
    await setOutputSeconds(server.kiln.db, parent.id, 176);
    const res = await server.api('POST', PATH, { body: { video_id: parent.id } });
    expect(res.json.code).toBe(1201);
    expect(res.json.message).toMatch(/^video_id: the video lasts 176 s; it must last at most 175 s/);
    await setOutputSeconds(server.kiln.db, parent.id, 5);
  });
});
