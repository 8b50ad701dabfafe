// Simulated media through the API, as a client receives it: download the result URLs and check them with
// ffprobe and sharp (codec, size, fps, duration, audio stream, first frame, image count and size).

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../packages/server/src/engines/simulator/media/probe.ts';
import { ffmpegPath } from '../packages/server/src/engines/simulator/media/ffmpeg-paths.ts';
import { runProcess } from '../packages/server/src/engines/simulator/media/run-process.ts';
import { startTestServer, tempDir, waitForTask, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
const work = tempDir('kiln-media-');
beforeAll(async () => { server = await startTestServer({ bodyLimitBytes: 8 * 1024 * 1024 }); });
afterAll(async () => { await server.close(); });

async function download(url: string, name: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const file = path.join(work, name);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

async function generate(familyPath: string, body: object) {
  const created = await server.api('POST', familyPath, { body });
  expect(created.json.code, created.json.message).toBe(0);
  const done = await waitForTask(server, familyPath, created.json.data.task_id, 60_000);
  expect(done.json.data.task_status, done.json.data.task_status_msg).toBe('succeed');
  return done.json.data;
}

describe('videos', () => {
  it('renders 16:9 pro with sound as 1920x1080 H.264, 24 fps, exactly 5 s, with an AAC track', async () => {
    const task = await generate('/v1/videos/omni-video', {
      model_name: 'kling-v3-omni', prompt: 'a fox in the snow', aspect_ratio: '16:9', mode: 'pro', sound: 'on', duration: '5',
    });
    const video = task.task_result.videos[0];
    expect(video.duration).toBe('5');
    expect(video.watermark_url).toBeUndefined();
    const info = await probeMedia(await download(video.url, 'pro.mp4'));
    expect(info.video).toMatchObject({ codec: 'h264', width: 1920, height: 1080 });
    expect(info.video!.fps).toBeCloseTo(24, 5);
    expect(info.durationSeconds).toBeGreaterThan(4.95);
    expect(info.durationSeconds).toBeLessThan(5.1);
    expect(info.audio?.codec).toBe('aac');
  });

  it('renders 9:16 std without sound as 720x1280 with no audio stream', async () => {
    const task = await generate('/v1/videos/omni-video', { prompt: 'tall waterfall', aspect_ratio: '9:16', mode: 'std', duration: '3' });
    const info = await probeMedia(await download(task.task_result.videos[0].url, 'std.mp4'));
    expect(info.video).toMatchObject({ codec: 'h264', width: 720, height: 1280 });
    expect(info.audio).toBeUndefined();
    expect(info.durationSeconds).toBeCloseTo(3, 1);
  });

  it('starts on the first-frame image and follows its aspect ratio', async () => {
    // A 4:3 image, half red, half blue: easy to recognise in the first frame.
    const image = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#d01010' } })
      .composite([{ input: await sharp({ create: { width: 400, height: 600, channels: 3, background: '#1010d0' } }).png().toBuffer(), left: 400, top: 0 }])
      .png().toBuffer();
    const task = await generate('/v1/videos/image2video', { image: image.toString('base64'), prompt: 'the flag waves', mode: 'std', duration: '5' });
    const file = await download(task.task_result.videos[0].url, 'i2v.mp4');
    const info = await probeMedia(file);
    expect(info.video!.height).toBe(720);
    expect(info.video!.width).toBe(960);
    const frame = path.join(work, 'i2v-first.png');
    await runProcess(ffmpegPath(), ['-y', '-v', 'error', '-i', file, '-frames:v', '1', frame]);
    const { data, info: px } = await sharp(frame).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * px.width + x) * px.channels, (y * px.width + x) * px.channels + 3)];
    const [lr, , lb] = at(Math.round(px.width * 0.25), Math.round(px.height * 0.5));
    const [rr, , rb] = at(Math.round(px.width * 0.75), Math.round(px.height * 0.5));
    expect(lr).toBeGreaterThan(150);
    expect(lb).toBeLessThan(80);
    expect(rb).toBeGreaterThan(150);
    expect(rr).toBeLessThan(80);
  });

  it('adds a watermarked copy when watermark_info.enabled is true', async () => {
    const task = await generate('/v1/videos/omni-video', {
      prompt: 'marked', aspect_ratio: '1:1', mode: 'std', duration: '3', watermark_info: { enabled: true },
    });
    const video = task.task_result.videos[0];
    expect(task.watermark_info).toEqual({ enabled: true });
    expect(video.watermark_url).toMatch(/\/media\//);
    const plain = fs.readFileSync(await download(video.url, 'plain.mp4'));
    const marked = fs.readFileSync(await download(video.watermark_url, 'marked.mp4'));
    expect(plain.equals(marked)).toBe(false);
  });
});

describe('images', () => {
  it('renders n PNGs at the asked resolution and aspect ratio', async () => {
    const task = await generate('/v1/images/generations', { prompt: 'a red bicycle', resolution: '2k', aspect_ratio: '16:9', n: 3 });
    const images = task.task_result.images;
    expect(images.map((i: any) => i.index)).toEqual([0, 1, 2]);
    const files = await Promise.all(images.map((i: any, k: number) => download(i.url, `gen-${k}.png`)));
    for (const file of files) {
      const meta = await sharp(file).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width! / meta.height!).toBeCloseTo(16 / 9, 1);
      expect(meta.width! * meta.height!).toBeGreaterThan(0.95 * 2048 * 2048);
      expect(meta.width! * meta.height!).toBeLessThan(1.05 * 2048 * 2048);
    }
    expect(fs.readFileSync(files[0]).equals(fs.readFileSync(files[1]))).toBe(false);
  });

  it('follows the first reference image for aspect_ratio auto', async () => {
    const ref = await sharp({ create: { width: 600, height: 900, channels: 3, background: '#20a060' } }).png().toBuffer();
    const task = await generate('/v1/images/omni-image', {
      prompt: 'like <<<image_1>>>', image_list: [{ image: ref.toString('base64') }], aspect_ratio: 'auto', resolution: '1k',
    });
    const meta = await sharp(await download(task.task_result.images[0].url, 'auto.png')).metadata();
    expect(meta.width! / meta.height!).toBeCloseTo(2 / 3, 1);
  });
});

describe('result URLs', () => {
  it('are signed: a changed signature or path is refused, and Range requests resume a download', async () => {
    const task = await generate('/v1/videos/omni-video', { prompt: 'signed', aspect_ratio: '1:1', mode: 'std', duration: '3' });
    const url = new URL(task.task_result.videos[0].url);
    const tampered = new URL(url);
    tampered.searchParams.set('s', 'A'.repeat(32));
    expect((await fetch(tampered)).status).toBe(403);
    const otherFile = new URL(url.toString().replace('video.mp4', 'video-watermark.mp4'));
    expect((await fetch(otherFile)).status).toBe(403);
    const whole = Buffer.from(await (await fetch(url)).arrayBuffer());
    const part = await fetch(url, { headers: { range: 'bytes=100-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-${whole.length - 1}/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(100))).toBe(true);
  });
});
