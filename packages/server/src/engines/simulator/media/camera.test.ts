// Camera moves as a viewer sees them: the picture zooms, slides, rolls or turns the way camera_control says, from an
// unmoved first frame, while the text stays put.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraMove, VideoPlan } from '@kiln/contract';
import { cameraLayer, motionOf } from './camera.ts';
import { probeMedia } from './probe.ts';
import { renderVideo } from './render-video.ts';
import { coverRgb, meanDifference, testImage, videoFrame, whiteSpan, type RgbImage } from './test-support.ts';

let dir: string;
let photo: string;
// A blue 16:9 photo with a white disc in the middle (radius a quarter of the height): std renders it at 1280x720.
const W = 1280;
const H = 720;
const LAST = 119;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-camera-test-'));
  photo = await testImage(W, H, '#2050c0', '#ffffff');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const plan = (camera: CameraMove, over: Partial<VideoPlan> = {}): VideoPlan => ({
  kind: 'video',
  resolution: 'std',
  aspectRatio: null,
  seconds: 5,
  fps: 24,
  audio: false,
  prompt: 'the camera moves',
  shots: [],
  firstFrame: photo,
  references: [],
  watermark: false,
  camera,
  ...over,
});

/** The disc as seen in a frame, between the label bar and the caption band: its widest row and its top edge. */
function disc(frame: RgbImage) {
  let best = { width: -1, centreX: 0 };
  let top = -1;
  for (let y = Math.round(H * 0.13); y < Math.round(H * 0.68); y++) {
    const span = whiteSpan(frame, y);
    if (!span) continue;
    if (top < 0) top = y;
    if (span.end - span.start > best.width) best = { width: span.end - span.start, centreX: (span.start + span.end) / 2 };
  }
  if (top < 0) throw new Error('no disc in the frame');
  return { ...best, top };
}

async function firstAndLast(name: string, camera: CameraMove) {
  const out = join(dir, `${name}.mp4`);
  await renderVideo(plan(camera), out);
  const [first, last] = await Promise.all([videoFrame(out, 0, W, H), videoFrame(out, LAST, W, H)]);
  return { out, first, last };
}

describe('camera_control', () => {
  it('simple zoom < 0 narrows the view: the centre grows steadily, starting from the unmoved first frame', async () => {
    const { out, first, last } = await firstAndLast('zoom-in', { type: 'simple', axis: 'zoom', amount: -10 });
    expect(meanDifference(first, await coverRgb(photo, W, H))).toBeLessThan(4);
    const middle = await videoFrame(out, 60, W, H);
    const [a, b, c] = [disc(first), disc(middle), disc(last)];
    expect(b.width).toBeGreaterThan(a.width * 1.15);
    expect(c.width).toBeGreaterThan(b.width * 1.15);
    // Zooming keeps the centre where it is.
    expect(Math.abs(c.centreX - W / 2)).toBeLessThan(8);
    const media = await probeMedia(out);
    expect(media.video).toMatchObject({ width: W, height: H, frames: 120 });
  });

  it('simple zoom > 0 widens the view: the centre shrinks', async () => {
    const { first, last } = await firstAndLast('zoom-out', { type: 'simple', axis: 'zoom', amount: 6 });
    expect(disc(last).width).toBeLessThan(disc(first).width * 0.85);
  });

  it('simple horizontal moves the camera sideways: + slides the picture left, − right, faster for a larger value', async () => {
    const right = await firstAndLast('right', { type: 'simple', axis: 'horizontal', amount: 10 });
    const slow = await firstAndLast('right-slow', { type: 'simple', axis: 'horizontal', amount: 3 });
    const left = await firstAndLast('left', { type: 'simple', axis: 'horizontal', amount: -10 });
    const shift = (r: { first: RgbImage; last: RgbImage }) => disc(r.last).centreX - disc(r.first).centreX;
    expect(shift(right)).toBeLessThan(-W * 0.15);
    expect(shift(left)).toBeGreaterThan(W * 0.15);
    expect(shift(slow)).toBeLessThan(-W * 0.03);
    expect(shift(slow)).toBeGreaterThan(shift(right) / 2);
    // A slide does not scale the picture.
    expect(Math.abs(disc(right.last).width - disc(right.first).width)).toBeLessThan(6);
  });

  it('simple vertical + moves the camera up: the picture slides down', async () => {
    const { first, last } = await firstAndLast('up', { type: 'simple', axis: 'vertical', amount: 8 });
    expect(disc(last).top - disc(first).top).toBeGreaterThan(H * 0.1);
  });

  it('forward_up and down_back are distinct moves: in and down, out and up', async () => {
    const forward = await firstAndLast('forward-up', { type: 'forward_up' });
    const back = await firstAndLast('down-back', { type: 'down_back' });
    expect(disc(forward.last).width).toBeGreaterThan(disc(forward.first).width * 1.15);
    expect(disc(forward.last).top).toBeGreaterThan(disc(forward.first).top);
    expect(disc(back.last).width).toBeLessThan(disc(back.first).width * 0.9);
    expect(disc(back.last).top).toBeLessThan(disc(back.first).top);
  });

  it('right_turn_forward and left_turn_forward zoom in while drifting opposite ways', async () => {
    const right = await firstAndLast('right-turn', { type: 'right_turn_forward' });
    const left = await firstAndLast('left-turn', { type: 'left_turn_forward' });
    expect(disc(right.last).width).toBeGreaterThan(disc(right.first).width * 1.1);
    expect(disc(right.last).centreX).toBeLessThan(W / 2 - 40);
    expect(disc(left.last).centreX).toBeGreaterThan(W / 2 + 40);
  });

  it('keeps the text in place over a moving colour background (text-to-video)', async () => {
    const out = join(dir, 't2v.mp4');
    await renderVideo(plan({ type: 'simple', axis: 'horizontal', amount: 10 }, { firstFrame: undefined, aspectRatio: '16:9' }), out);
    const [first, last] = await Promise.all([videoFrame(out, 0, W, H), videoFrame(out, LAST, W, H)]);
    // The label line top-left stays identical; the background (its discs) has moved.
    expect(meanDifference(first, last, { left: 40, top: 30, width: 300, height: 30 })).toBeLessThan(3);
    expect(meanDifference(first, last, { left: 0, top: 80, width: W, height: H - 100 })).toBeGreaterThan(2);
  });

  it('roll and pan change the picture without running off the scene', async () => {
    for (const axis of ['roll', 'pan', 'tilt'] as const) {
      const { first, last } = await firstAndLast(axis, { type: 'simple', axis, amount: 10 });
      expect(meanDifference(first, last, { left: 0, top: 40, width: W, height: H * 0.4 })).toBeGreaterThan(3);
      // No black corners: the canvas around the frame holds more scene.
      for (const [x, y] of [[2, 60], [W - 3, 60]]) {
        const i = (y * W + x) * 3;
        expect(last.data[i] + last.data[i + 1] + last.data[i + 2]).toBeGreaterThan(120);
      }
    }
  });
});

describe('cameraLayer', () => {
  it('sizes the canvas for the whole move and no more', () => {
    expect(cameraLayer({ type: 'simple', axis: 'zoom', amount: -10 }, 1920, 1080, 24, 120).canvas).toEqual({ width: 1920, height: 1080 });
    const slide = cameraLayer({ type: 'simple', axis: 'horizontal', amount: 10 }, 1920, 1080, 24, 120);
    // 5 % of the width per second for 5 s, either way: 1.5× the frame.
    expect(slide.canvas.width).toBe(2880);
    expect(slide.workScale).toBe(1);
    expect(cameraLayer({ type: 'simple', axis: 'roll', amount: 10 }, 1920, 1080, 24, 120).workScale).toBe(0.5);
  });

  it('reads the sign as the camera’s direction, as Kling documents it', () => {
    expect(motionOf({ type: 'simple', axis: 'horizontal', amount: 5 }).x).toBeGreaterThan(0);
    expect(motionOf({ type: 'simple', axis: 'vertical', amount: 5 }).y).toBeLessThan(0);
    expect(motionOf({ type: 'simple', axis: 'zoom', amount: 5 }).zoom).toBeLessThan(0);
    expect(motionOf({ type: 'simple', axis: 'roll', amount: -5 }).roll).toBeLessThan(0);
  });
});
