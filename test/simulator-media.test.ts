// The simulator's media through the API, for what a request asks beyond size and length: camera_control moves the
// picture, and omni-video's video_list edits (or borrows from) an input video served over loopback HTTP.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyGroups } from '@kiln/contract';
import { probeMedia } from '../packages/server/src/engines/simulator/media/probe.ts';
import {
  meanDifference, testImage, testVideo, videoFrame, whiteSpan,
} from '../packages/server/src/engines/simulator/media/test-support.ts';
import { serveFiles, type FileServer } from './helpers/file-server.ts';
import { startTestServer, tempDir, waitForTask, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
let files: FileServer;
let filesUrl: string;
const work = tempDir('kiln-sim-media-');

beforeAll(async () => {
  // Inputs as Kling takes them: MP4, ≥ 3 s, sides ≥ 720 px, 24–60 fps. 5.3 s rounds to a 5 s edit.
  await Promise.all([
    testVideo(path.join(work, 'with-sound.mp4'), { width: 1280, height: 720, seconds: 5.3 }),
    testVideo(path.join(work, 'silent.mp4'), { width: 1280, height: 720, seconds: 4, sound: false }),
  ]);
  files = await serveFiles(work, 'video/mp4');
  filesUrl = files.url;
  server = await startTestServer({ bodyLimitBytes: 8 * 1024 * 1024 });
});
afterAll(async () => {
  await server.close();
  await files.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function generate(familyPath: string, body: object, name: string) {
  const created = await server.api('POST', familyPath, { body });
  expect(created.json.code, created.json.message).toBe(0);
  const done = await waitForTask(server, familyPath, created.json.data.task_id, 60_000);
  expect(done.json.data.task_status, done.json.data.task_status_msg).toBe('succeed');
  const video = done.json.data.task_result.videos[0];
  const res = await fetch(video.url);
  expect(res.status).toBe(200);
  const file = path.join(work, name);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return { file, video, media: await probeMedia(file) };
}

describe('camera_control', () => {
  it('image2video simple zoom < 0 zooms in on the first frame: the disc in the middle grows', async () => {
    const image = await testImage(1280, 720, '#2050c0', '#ffffff');
    const { file, media } = await generate('/v1/videos/image2video', {
      model_name: 'kling-v1-5', mode: 'pro', duration: '5', image, prompt: 'push in',
      camera_control: { type: 'simple', config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: -8 } },
    }, 'zoom.mp4');
    expect(media.video).toMatchObject({ width: 1920, height: 1080 });
    const width = async (n: number) => {
      const span = whiteSpan(await videoFrame(file, n, 1920, 1080), Math.round(1080 * 0.45));
      return span!.end - span!.start;
    };
    expect(await width(119)).toBeGreaterThan((await width(0)) * 1.2);
  });

  it('text2video simple horizontal slides the scene while the prompt stays put', async () => {
    const { file, media } = await generate('/v1/videos/text2video', {
      model_name: 'kling-v1', mode: 'std', duration: '5', prompt: 'a slow truck shot along the harbour',
      camera_control: { type: 'simple', config: { horizontal: 10 } },
    }, 'truck.mp4');
    const { width, height } = media.video!;
    const [first, last] = await Promise.all([videoFrame(file, 0, width, height), videoFrame(file, 119, width, height)]);
    expect(meanDifference(first, last, { left: 0, top: height * 0.1, width, height: height * 0.2 })).toBeGreaterThan(2);
    expect(meanDifference(first, last, { left: 40, top: 30, width: 300, height: 30 })).toBeLessThan(3);
  });
});

describe('omni-video video_list', () => {
  it('refer_type base: the edit lasts as long as the input and opens on its first frame; keep_original_sound yes keeps its audio', async () => {
    const { file, video, media } = await generate('/v1/videos/omni-video', {
      prompt: 'turn the day into night', mode: 'std',
      video_list: [{ video_url: `${filesUrl}/with-sound.mp4`, refer_type: 'base', keep_original_sound: 'yes' }],
    }, 'edit.mp4');
    expect(video.duration).toBe('5');
    expect(Math.abs(media.durationSeconds - 5)).toBeLessThan(0.1);
    expect(media.video).toMatchObject({ width: 1280, height: 720 });
    expect(media.audio?.codec).toBe('aac');
    const [mine, theirs] = await Promise.all([
      videoFrame(file, 0, 1280, 720),
      videoFrame(path.join(work, 'with-sound.mp4'), 0, 1280, 720),
    ]);
    expect(meanDifference(mine, theirs)).toBeLessThan(6);
  });

  it('keep_original_sound no with sound off: no audio stream', async () => {
    const { media } = await generate('/v1/videos/omni-video', {
      prompt: 'make it snow', mode: 'std',
      video_list: [{ video_url: `${filesUrl}/with-sound.mp4`, refer_type: 'base', keep_original_sound: 'no' }],
    }, 'edit-quiet.mp4');
    expect(media.audio).toBeUndefined();
  });

  it('keep_original_sound yes on a silent input: no audio stream, and the task still succeeds', async () => {
    const { media, video } = await generate('/v1/videos/omni-video', {
      prompt: 'add fog', mode: 'std',
      video_list: [{ video_url: `${filesUrl}/silent.mp4`, refer_type: 'base', keep_original_sound: 'yes' }],
    }, 'edit-silent.mp4');
    expect(video.duration).toBe('4');
    expect(media.audio).toBeUndefined();
  });

  it('refer_type feature with keep_original_sound yes: the requested length, with the input audio', async () => {
    const { media, video } = await generate('/v1/videos/omni-video', {
      prompt: 'the next shot of <<<video_1>>>', mode: 'std', aspect_ratio: '1:1', duration: '7',
      video_list: [{ video_url: `${filesUrl}/with-sound.mp4`, refer_type: 'feature', keep_original_sound: 'yes' }],
    }, 'feature.mp4');
    expect(video.duration).toBe('7');
    expect(media.video).toMatchObject({ width: 720, height: 720 });
    expect(media.audio?.codec).toBe('aac');
    expect(Math.abs(media.durationSeconds - 7)).toBeLessThan(0.1);
  });
});

describe('plans', () => {
  const { omniVideo, text2video, image2video } = familyGroups.videos;
  it('carry the camera move: the one non-zero axis of a simple move, or the named move', () => {
    const t2v = text2video.plan({ model_name: 'kling-v1', mode: 'std', duration: '5', prompt: 'a', camera_control: { type: 'simple', config: { zoom: 0, roll: -4 } } } as any);
    expect(t2v).toMatchObject({ camera: { type: 'simple', axis: 'roll', amount: -4 } });
    const i2v = image2video.plan({ model_name: 'kling-v1-5', mode: 'pro', duration: '5', image: 'x', camera_control: { type: 'down_back' } } as any);
    expect(i2v).toMatchObject({ camera: { type: 'down_back' } });
    expect(text2video.plan({ model_name: 'kling-v1', mode: 'std', duration: '5', prompt: 'a' } as any)).not.toHaveProperty('camera');
  });

  it('carry the reference video; a base video decides the shape, so aspect_ratio is not followed', () => {
    const base = omniVideo.plan({ mode: 'pro', duration: '5', aspect_ratio: '9:16', prompt: 'a', video_list: [{ video_url: 'https://v/a.mp4' }] } as any);
    expect(base).toMatchObject({ aspectRatio: null, referenceVideo: { url: 'https://v/a.mp4', role: 'base', keepSound: false } });
    const feature = omniVideo.plan({ mode: 'pro', duration: '5', aspect_ratio: '9:16', prompt: 'a', video_list: [{ video_url: 'https://v/a.mp4', refer_type: 'feature', keep_original_sound: 'yes' }] } as any);
    expect(feature).toMatchObject({ aspectRatio: '9:16', referenceVideo: { role: 'feature', keepSound: true } });
  });
});
