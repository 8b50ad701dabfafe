// Omni-video with an input video, as a user sees the result: an edit ('base') lasts as long as its input and opens on
// its first frame; keep_original_sound carries the input's sound over; a 'feature' video shows as a thumbnail.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceVideo, VideoPlan } from '@kiln/contract';
import { probeMedia } from './probe.ts';
import { editedSeconds, type LoadedVideo } from './reference-video.ts';
import { renderVideo } from './render-video.ts';
import { cardMetrics, thumbnailEdge } from './title-card.ts';
import { meanDifference, testVideo, videoFrame } from './test-support.ts';

let dir: string;
let withSound: Buffer;
let silent: Buffer;
const URL_SOUND = 'https://videos.example/with-sound.mp4';
const URL_SILENT = 'https://videos.example/silent.mp4';
const fetchVideo = async (url: string) => {
  if (url === URL_SOUND) return withSound;
  if (url === URL_SILENT) return silent;
  throw new Error('HTTP 404');
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-reference-test-'));
  // 4:3 at 30 fps and 5.4 s: the edit must follow its shape, convert its rate, and round its length to 5 s.
  [withSound, silent] = await Promise.all([
    testVideo(join(dir, 'in-sound.mp4'), { width: 960, height: 720, seconds: 5.4 }).then((f) => readFile(f)),
    testVideo(join(dir, 'in-silent.mp4'), { width: 1280, height: 720, seconds: 3.6, sound: false }).then((f) => readFile(f)),
  ]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const plan = (referenceVideo: ReferenceVideo, over: Partial<VideoPlan> = {}): VideoPlan => ({
  kind: 'video',
  resolution: 'std',
  aspectRatio: null,
  // The request's duration: ignored when editing.
  seconds: 10,
  fps: 24,
  audio: false,
  prompt: 'make it look like winter',
  shots: [],
  references: [],
  watermark: false,
  referenceVideo,
  ...over,
});

describe('video editing (refer_type base)', () => {
  it('lasts as long as the input (rounded to whole seconds), follows its shape and opens on its first frame', async () => {
    const out = join(dir, 'edit.mp4');
    const result = await renderVideo(plan({ url: URL_SOUND, role: 'base', keepSound: false }), out, { fetchVideo });
    expect(result).toMatchObject({ width: 960, height: 720, seconds: 5, hasAudio: false });
    const media = await probeMedia(out);
    expect(media.video).toMatchObject({ codec: 'h264', width: 960, height: 720, fps: 24, frames: 120 });
    expect(Math.abs(media.durationSeconds - 5)).toBeLessThanOrEqual(1 / 24);
    expect(media.audio).toBeUndefined();

    const input = join(dir, 'in-sound.mp4');
    const [mine, theirs] = await Promise.all([videoFrame(out, 0, 960, 720), videoFrame(input, 0, 960, 720)]);
    expect(meanDifference(mine, theirs)).toBeLessThan(6);
    // Later the input keeps playing in step (testsrc counts seconds), with the prompt's caption over its lower part.
    const [later, theirsLater] = await Promise.all([videoFrame(out, 60, 960, 720), videoFrame(input, 75, 960, 720)]);
    const counter = { left: 750, top: 270, width: 110, height: 180 };
    expect(meanDifference(later, mine, counter)).toBeGreaterThan(10);
    expect(meanDifference(later, theirsLater, { left: 0, top: 100, width: 960, height: 370 })).toBeLessThan(6);
  });

  it('keeps the input sound with keep_original_sound: yes, cut to the output length', async () => {
    const out = join(dir, 'edit-sound.mp4');
    const result = await renderVideo(plan({ url: URL_SOUND, role: 'base', keepSound: true }), out, { fetchVideo });
    expect(result.hasAudio).toBe(true);
    const media = await probeMedia(out);
    expect(media.audio).toMatchObject({ codec: 'aac' });
    expect(Math.abs(media.durationSeconds - 5)).toBeLessThan(0.1);
  });

  it('holds the last frame when rounding up makes the edit longer than a silent input, and adds no sound', async () => {
    const out = join(dir, 'edit-silent.mp4');
    const result = await renderVideo(plan({ url: URL_SILENT, role: 'base', keepSound: true }), out, { fetchVideo });
    expect(result).toMatchObject({ width: 1280, height: 720, seconds: 4, hasAudio: false });
    const media = await probeMedia(out);
    expect(media.video?.frames).toBe(96);
    expect(media.audio).toBeUndefined();
  });

  it('fails in words fit for task_status_msg when the video cannot be fetched or read', async () => {
    await expect(
      renderVideo(plan({ url: 'https://videos.example/missing.mp4', role: 'base', keepSound: false }), join(dir, 'x.mp4'), { fetchVideo }),
    ).rejects.toThrow('video_list[0].video_url: could not download video (HTTP 404)');
    const notVideo = async () => Buffer.from('not a video');
    await expect(
      renderVideo(plan({ url: URL_SOUND, role: 'base', keepSound: false }), join(dir, 'y.mp4'), { fetchVideo: notVideo }),
    ).rejects.toThrow('video_list[0].video_url: could not decode video');
  });
});

describe('feature reference (refer_type feature)', () => {
  it('renders the requested length and ratio, with the input sound padded to it when asked', async () => {
    const out = join(dir, 'feature.mp4');
    const p = plan({ url: URL_SOUND, role: 'feature', keepSound: true }, { aspectRatio: '16:9', seconds: 7 });
    const result = await renderVideo(p, out, { fetchVideo });
    expect(result).toMatchObject({ width: 1280, height: 720, seconds: 7, hasAudio: true });
    const media = await probeMedia(out);
    expect(media.audio).toMatchObject({ codec: 'aac' });
    expect(Math.abs(media.durationSeconds - 7)).toBeLessThan(0.1);

    // Its first frame shows as a thumbnail at the bottom right, where a plain render has only the background.
    const plain = join(dir, 'plain.mp4');
    await renderVideo({ ...p, referenceVideo: undefined }, plain);
    const [a, b] = await Promise.all([videoFrame(out, 60, 1280, 720), videoFrame(plain, 60, 1280, 720)]);
    const { margin } = cardMetrics(1280, 720);
    const edge = thumbnailEdge(1280, 720, 1);
    const thumb = { left: 1280 - margin - edge + 8, top: 720 - margin - edge, width: edge - 16, height: edge / 2 };
    expect(meanDifference(a, b, thumb)).toBeGreaterThan(30);
  });

  it('has no audio stream with keep_original_sound: no', async () => {
    const out = join(dir, 'feature-quiet.mp4');
    await renderVideo(plan({ url: URL_SOUND, role: 'feature', keepSound: false }, { aspectRatio: '16:9', seconds: 5 }), out, { fetchVideo });
    expect((await probeMedia(out)).audio).toBeUndefined();
  });
});

describe('editedSeconds', () => {
  it('rounds the input length to whole seconds, as Kling bills it', () => {
    const video = (seconds: number): LoadedVideo => ({ file: '', width: 1, height: 1, seconds, hasAudio: false });
    expect([3.0, 3.49, 3.5, 9.96].map((s) => editedSeconds(video(s)))).toEqual([3, 3, 4, 10]);
  });
});
