// Motion control through the HTTP API: the character image moved like a reference video, for as long as that video,
// with or without its sound, billed per measured second; a reference outside the length window fails the task.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { probeMedia } from '../packages/server/src/engines/simulator/media/probe.ts';
import { startTestServer, tempDir, waitForTask, type TestServer } from './helpers/test-server.ts';
import { sampleImage } from './helpers/sdk-samples.ts';

const PATH = '/v1/videos/motion-control';
let server: TestServer;
let image: string;
let withSound: string;
let short: string;
const dir = tempDir('kiln-motion-');

async function finished(familyPath: string, body: object) {
  const created = await server.api('POST', familyPath, { body });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  return (await waitForTask(server, familyPath, created.json.data.task_id, 60_000)).json.data;
}

beforeAll(async () => {
  server = await startTestServer();
  image = (await sampleImage()).toString('base64');
  const t2v = '/v1/videos/omni-video';
  // A 7 s reference with sound, and a 3 s one (the shortest Kling takes).
  withSound = (await finished(t2v, { model_name: 'kling-v3-omni', prompt: 'a dancer', aspect_ratio: '16:9', mode: 'std', duration: '7', sound: 'on' })).task_result.videos[0].url;
  short = (await finished(t2v, { prompt: 'a wave', aspect_ratio: '9:16', mode: 'std', duration: '3' })).task_result.videos[0].url;
});
afterAll(async () => { await server?.close(); });

async function probeUrl(url: string, name: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
  return probeMedia(file);
}

describe('motion-control', () => {
  it('the output lasts as long as the reference video and keeps its sound by default', async () => {
    const task = await finished(PATH, { image_url: image, video_url: withSound, character_orientation: 'video', mode: 'std', prompt: 'the subject dances' });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    const [video] = task.task_result.videos;
    expect(Number(video.duration)).toBeCloseTo(7, 1);
    const media = await probeUrl(video.url, 'motion.mp4');
    expect(media.video?.codec).toBe('h264');
    expect(media.durationSeconds).toBeCloseTo(7, 1);
    expect(media.audio?.codec).toBe('aac');
    // Billed on the measured length (units(req, {seconds})), not the provisional minimum.
    expect(Number(task.final_unit_deduction)).toBeGreaterThan(0);
    const provisional = await finished(PATH, { image_url: image, video_url: short, character_orientation: 'image', mode: 'std', keep_original_sound: 'no' });
    expect(Number(provisional.task_result.videos[0].duration)).toBeCloseTo(3, 1);
    expect(Number(task.final_unit_deduction)).toBeGreaterThan(Number(provisional.final_unit_deduction));
    expect((await probeUrl(provisional.task_result.videos[0].url, 'motion-short.mp4')).audio).toBeUndefined();
  });

  it('a reference video that cannot be read fails the task naming video_url; bad input is 1201', async () => {
    const task = await finished(PATH, { image_url: image, video_url: `${server.url}/media/1/missing.mp4`, character_orientation: 'video', mode: 'std' });
    expect(task.task_status).toBe('failed');
    expect(task.task_status_msg).toMatch(/^video_url: /);
    const res = await server.api('POST', PATH, { body: { image_url: image, character_orientation: 'video', mode: 'std' } });
    expect(res.json.code).toBe(1201);
    expect(res.json.message).toMatch(/video_url/);
    const orientation = await server.api('POST', PATH, { body: { image_url: image, video_url: short, character_orientation: 'sideways', mode: 'std' } });
    expect(orientation.json.code).toBe(1201);
    expect(orientation.json.message).toMatch(/character_orientation/);
  });
});
