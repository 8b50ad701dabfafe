// The families served beyond video/image generation, through the HTTP API: text-to-audio (mp3 + wav of the asked
// length), image expansion (the source in the middle of the grown canvas), virtual try-on (person + garment) and
// video effects (a video opening on the input image). Outputs are downloaded and measured for real.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { probeMedia } from '../packages/server/src/engines/simulator/media/probe.ts';
import { startTestServer, tempDir, waitForTask, type TestServer } from './helpers/test-server.ts';
import { sampleImage } from './helpers/sdk-samples.ts';

let server: TestServer;
let image: string;
let garment: string;
const dir = tempDir('kiln-families-');
beforeAll(async () => {
  server = await startTestServer();
  image = (await sampleImage()).toString('base64');
  garment = (await sharp({ create: { width: 400, height: 400, channels: 3, background: '#20c040' } }).png().toBuffer()).toString('base64');
});
afterAll(async () => { await server?.close(); });

/** Creates a task, waits for it to end, and returns its data (asserting it succeeded). */
async function run(familyPath: string, body: object) {
  const created = await server.api('POST', familyPath, { body });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  const done = await waitForTask(server, familyPath, created.json.data.task_id, 60_000);
  expect(done.json.data.task_status, done.json.data.task_status_msg).toBe('succeed');
  return done.json.data;
}

async function download(url: string, name: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

async function refused(familyPath: string, body: object, message: RegExp) {
  const res = await server.api('POST', familyPath, { body });
  expect(res.status).toBe(400);
  expect(res.json.code).toBe(1201);
  expect(res.json.message).toMatch(message);
}

async function pixel(buffer: Buffer, left: number, top: number): Promise<number[]> {
  return [...(await sharp(buffer).extract({ left, top, width: 1, height: 1 }).removeAlpha().raw().toBuffer())];
}
const near = (actual: number[], hex: string) => {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return actual.every((v, i) => Math.abs(v - want[i]) <= 6);
};

describe('text-to-audio', () => {
  const PATH = '/v1/audio/text-to-audio';

  it('the documented example: mp3 and wav of exactly 3 s in task_result.audios', async () => {
    const task = await run(PATH, { prompt: 'Fireworks sound during Chinese New Year celebration', duration: 3, external_task_id: '', callback_url: '' });
    const [audio] = task.task_result.audios;
    expect(task.task_result.audios).toHaveLength(1);
    expect(audio).toMatchObject({ id: task.task_id, duration_mp3: '3', duration_wav: '3' });
    expect(task.final_unit_deduction).toBe('0.25');
    const wav = await probeMedia(await download(audio.url_wav, 'fireworks.wav'));
    const mp3 = await probeMedia(await download(audio.url_mp3, 'fireworks.mp3'));
    expect(wav.audio?.codec).toBe('pcm_s16le');
    expect(wav.durationSeconds).toBeCloseTo(3, 3);
    expect(mp3.audio?.codec).toBe('mp3');
    expect(Math.abs(mp3.durationSeconds - 3)).toBeLessThan(0.03);
  });

  it('a length with one decimal, as a numeric string', async () => {
    const task = await run(PATH, { prompt: 'a door creaks', duration: '5.5' });
    const [audio] = task.task_result.audios;
    expect(audio.duration_wav).toBe('5.5');
    expect((await probeMedia(await download(audio.url_wav, 'door.wav'))).durationSeconds).toBeCloseTo(5.5, 3);
  });

  it('refuses a length out of 3–10 s and a missing prompt with 1201 naming the field', async () => {
    await refused(PATH, { prompt: 'wind', duration: 11 }, /duration/);
    await refused(PATH, { prompt: 'wind', duration: 3.25 }, /duration/);
    await refused(PATH, { duration: 3 }, /prompt/);
  });
});

describe('editing/expand', () => {
  const PATH = '/v1/images/editing/expand';

  it('grows the canvas by the four ratios with the source unchanged in the middle, n images', async () => {
    // 640×480 source: up/down 0.25 of the height, left/right 0.5 of the width → 1280×720.
    const task = await run(PATH, {
      image, up_expansion_ratio: 0.25, down_expansion_ratio: 0.25, left_expansion_ratio: 0.5, right_expansion_ratio: 0.5, prompt: 'a beach', n: 2,
    });
    expect(task.task_result.images.map((i: { index: number }) => i.index)).toEqual([0, 1]);
    expect(task.final_unit_deduction).toBe('16');
    for (const img of task.task_result.images) {
      const png = fs.readFileSync(await download(img.url, `expand-${img.index}.png`));
      expect(await sharp(png).metadata()).toMatchObject({ width: 1280, height: 720, format: 'png' });
      // The source's two halves, at their place on the canvas (left 320, top 120).
      expect(near(await pixel(png, 320 + 100, 120 + 200), '#d04010')).toBe(true);
      expect(near(await pixel(png, 320 + 500, 120 + 200), '#1060d0')).toBe(true);
    }
  });

  it('a one-sided expansion and the watermark twin', async () => {
    const task = await run(PATH, { image, right_expansion_ratio: 1, watermark_info: { enabled: true } });
    const [img] = task.task_result.images;
    expect(img.watermark_url).toBeTruthy();
    const png = fs.readFileSync(await download(img.url, 'expand-right.png'));
    expect(await sharp(png).metadata()).toMatchObject({ width: 1280, height: 480 });
    expect(near(await pixel(png, 10, 10), '#d04010')).toBe(true);
  });

  it('refuses more than 3× the area, a bad ratio and a missing image with 1201 naming the field', async () => {
    await refused(PATH, { image, up_expansion_ratio: 1, left_expansion_ratio: 1 }, /expansion_ratio/);
    await refused(PATH, { image, up_expansion_ratio: 2.5 }, /up_expansion_ratio/);
    await refused(PATH, { up_expansion_ratio: 0.5 }, /image/);
  });
});

describe('kolors-virtual-try-on', () => {
  const PATH = '/v1/images/kolors-virtual-try-on';

  it('the person at its own size wearing the garment over the torso', async () => {
    const task = await run(PATH, { model_name: 'kolors-virtual-try-on-v1-5', human_image: image, cloth_image: garment, callback_url: '', external_task_id: '' });
    const [img] = task.task_result.images;
    expect(img.index).toBe(0);
    const png = fs.readFileSync(await download(img.url, 'try-on.png'));
    expect(await sharp(png).metadata()).toMatchObject({ width: 640, height: 480 });
    expect(near(await pixel(png, 320, 240), '#20c040')).toBe(true);
    expect(near(await pixel(png, 10, 10), '#d04010')).toBe(true);
    expect(near(await pixel(png, 630, 10), '#1060d0')).toBe(true);
  });

  it('without a garment the person comes back as is; a missing person or unknown model is refused', async () => {
    const task = await run(PATH, { human_image: image });
    const png = fs.readFileSync(await download(task.task_result.images[0].url, 'try-on-bare.png'));
    expect(near(await pixel(png, 200, 240), '#d04010')).toBe(true);
    await refused(PATH, { cloth_image: garment }, /human_image/);
    const unknown = await server.api('POST', PATH, { body: { model_name: 'kolors-x', human_image: image } });
    expect(unknown.json.code).toBe(1203);
  });
});

describe('effects', () => {
  const PATH = '/v1/videos/effects';

  it('a single-image scene: a 5 s H.264 video framed like the input image', async () => {
    const task = await run(PATH, { effect_scene: 'pet_lion', input: { image } });
    const [video] = task.task_result.videos;
    expect(video.duration).toBe('5');
    const media = await probeMedia(await download(video.url, 'effect.mp4'));
    expect(media.video?.codec).toBe('h264');
    expect(media.durationSeconds).toBeCloseTo(5, 1);
    expect(media.video!.width / media.video!.height).toBeCloseTo(4 / 3, 1);
    expect(media.audio).toBeUndefined();
  });

  it('a dual-image scene shows both images, 10 s allowed', async () => {
    const task = await run(PATH, { effect_scene: 'hug', input: { model_name: 'kling-v1-6', mode: 'std', images: [image, garment], duration: '10' } });
    const media = await probeMedia(await download(task.task_result.videos[0].url, 'hug.mp4'));
    expect(media.durationSeconds).toBeCloseTo(10, 1);
  });

  it('refuses an unknown scene and a missing image with 1201 naming the field', async () => {
    await refused(PATH, { effect_scene: 'no_such_scene', input: { image } }, /effect_scene/);
    await refused(PATH, { effect_scene: 'pet_lion', input: {} }, /input\.image/);
    await refused(PATH, { effect_scene: 'hug', input: { images: [image] } }, /input\.images/);
  });
});

describe('ai-multi-shot', () => {
  const PATH = '/v1/general/ai-multi-shot';

  it('three sets of three views, url_1…url_3, each at the frontal image size', async () => {
    const task = await run(PATH, { element_frontal_image: image, external_task_id: '', callback_url: '' });
    const sets = task.task_result.images;
    expect(sets.map((s: { index: number }) => s.index)).toEqual([0, 1, 2]);
    const seen = new Set<string>();
    for (const set of sets) {
      expect(Object.keys(set).sort()).toEqual(['index', 'url_1', 'url_2', 'url_3']);
      for (const n of [1, 2, 3]) {
        const png = fs.readFileSync(await download(set[`url_${n}`], `view-${set.index}-${n}.png`));
        expect(await sharp(png).metadata()).toMatchObject({ width: 640, height: 480, format: 'png' });
        seen.add(png.toString('base64'));
      }
    }
    expect(seen.size).toBe(9);
  });

  it('refuses a missing frontal image with 1201 naming the field', async () => {
    await refused(PATH, {}, /element_frontal_image/);
  });
});
