// What a user of a rendered video would notice: format, size, rate, length, sound, and that the pictures fit the request.

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoSize, type VideoPlan } from '@kiln/contract';
import { paletteFor, shotPalette } from './palette.ts';
import { probeMedia } from './probe.ts';
import { renderVideo } from './render-video.ts';
import { cardMetrics, progressTrackHeight, thumbnailEdge } from './title-card.ts';
import {
  allFrames,
  colourDistance,
  coverRgb,
  meanColour,
  meanDifference,
  meanLumaDifference,
  rgbOf,
  sceneCuts,
  type RgbImage,
  testImage,
  videoFrame,
  whiteShare,
  type Region,
} from './test-support.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-video-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const plan = (over: Partial<VideoPlan>): VideoPlan => ({
  kind: 'video',
  resolution: 'std',
  aspectRatio: '16:9',
  seconds: 5,
  fps: 24,
  audio: false,
  prompt: 'a paper boat drifting down a rainy street',
  shots: [],
  references: [],
  watermark: false,
  ...over,
});

/** The share of a row, from the left, that the progress bar covers: where its colour stops matching the left end. */
function barCoverage(frame: RgbImage, y: number): number {
  const at = (x: number) => [0, 1, 2].map((c) => frame.data[(y * frame.width + x) * 3 + c]);
  const bar = at(2);
  let x = 2;
  while (x < frame.width && colourDistance(at(x), bar) < 24) x++;
  return x / frame.width;
}

/** A patch of plain background: below the text box, left of any thumbnails, clear of the decorative discs. */
function backgroundPatch(width: number, height: number): Region {
  return { left: Math.round(width * 0.42), top: Math.round(height * 0.88), width: 8, height: 8 };
}

describe('renderVideo', () => {
  it('renders 16:9 pro as 1920x1080 H.264 at 24 fps, exactly 5 s, with a stereo AAC track', async () => {
    const out = join(dir, 'pro.mp4');
    const p = plan({ resolution: 'pro', audio: true });
    const result = await renderVideo(p, out);
    expect(result).toEqual({ width: 1920, height: 1080, seconds: 5, fps: 24, hasAudio: true });

    const media = await probeMedia(out);
    expect(media.format).toContain('mp4');
    expect(media.video).toMatchObject({ codec: 'h264', width: 1920, height: 1080, fps: 24, frames: 120 });
    expect(Math.abs(media.durationSeconds - 5)).toBeLessThanOrEqual(1 / 24);
    expect(media.audio).toMatchObject({ codec: 'aac', channels: 2 });
    expect([44_100, 48_000]).toContain(media.audio!.sampleRate);

    // The background colour follows the prompt, and the prompt is drawn on it in white.
    const frame = await videoFrame(out, 30, 1920, 1080);
    const background = meanColour(frame, backgroundPatch(1920, 1080));
    expect(colourDistance(background, rgbOf(paletteFor(p.prompt).background))).toBeLessThan(8);
    expect(whiteShare(frame, { left: 100, top: 200, width: 1720, height: 600 })).toBeGreaterThan(0.02);

    // Something moves: the progress bar along the bottom edge grows from left to right.
    const track = progressTrackHeight(1920, 1080);
    const bar: Region = { left: 960, top: 1080 - track + 1, width: 480, height: track - 2 };
    const early = await videoFrame(out, 5, 1920, 1080);
    const late = await videoFrame(out, 115, 1920, 1080);
    expect(meanDifference(early, late, bar)).toBeGreaterThan(40);
    expect(meanDifference(early, late, { left: 0, top: 0, width: 1920, height: 1000 })).toBeLessThan(1);
  });

  it('renders 9:16 std as 720x1280, exactly 10 s, with no audio stream when sound is off', async () => {
    const out = join(dir, 'std-portrait.mp4');
    const result = await renderVideo(plan({ aspectRatio: '9:16', seconds: 10 }), out);
    expect(result).toMatchObject({ width: 720, height: 1280, seconds: 10, hasAudio: false });

    const media = await probeMedia(out);
    expect(media.video).toMatchObject({ codec: 'h264', width: 720, height: 1280, fps: 24, frames: 240 });
    expect(Math.abs(media.durationSeconds - 10)).toBeLessThanOrEqual(1 / 24);
    expect(media.audio).toBeUndefined();
  });

  describe('with first and end frames, a reference and a watermark', () => {
    let first: string;
    let last: string;
    let reference: string;
    let out: string;
    let result: Awaited<ReturnType<typeof renderVideo>>;
    // No aspect ratio: the 3:2 first frame decides, so std becomes 1080x720.
    const { width, height } = videoSize('std', 1.5);

    beforeAll(async () => {
      [first, last, reference] = await Promise.all([
        testImage(1200, 800, '#e07020', '#2040c0'),
        testImage(1200, 800, '#20a060', '#f0f0f0'),
        testImage(300, 300, '#d01060', '#d01060'),
      ]);
      out = join(dir, 'frames.mp4');
      result = await renderVideo(
        plan({ aspectRatio: null, audio: true, firstFrame: first, lastFrame: last, references: [reference], watermark: true }),
        out,
        { watermarkFile: join(dir, 'frames-marked.mp4') },
      );
    });

    it('follows the first frame’s aspect ratio', async () => {
      expect(result).toMatchObject({ width, height, seconds: 5, hasAudio: true });
      expect((await probeMedia(out)).video).toMatchObject({ width: 1080, height: 720 });
    });

    it('opens on the first-frame image and ends on the end-frame image', async () => {
      const opening = await videoFrame(out, 0, width, height);
      const closing = await videoFrame(out, 119, width, height);
      expect(meanDifference(opening, await coverRgb(first, width, height))).toBeLessThan(4);
      expect(meanDifference(closing, await coverRgb(last, width, height))).toBeLessThan(4);
      // In between, the prompt is drawn over the first frame.
      const middle = await videoFrame(out, 60, width, height);
      expect(meanDifference(middle, await coverRgb(first, width, height))).toBeGreaterThan(10);
    });

    it('shows the reference image as a thumbnail', async () => {
      const m = cardMetrics(width, height);
      const edge = thumbnailEdge(width, height, 1);
      const centre: Region = {
        left: width - m.margin - edge / 2 - 10,
        top: height - progressTrackHeight(width, height) - m.margin - edge / 2 - 10,
        width: 20,
        height: 20,
      };
      const frame = await videoFrame(out, 60, width, height);
      expect(colourDistance(meanColour(frame, centre), rgbOf('#d01060'))).toBeLessThan(16);
    });

    it('writes a watermarked copy that differs only where the mark is', async () => {
      expect(result.watermarkFile).toBe(join(dir, 'frames-marked.mp4'));
      const [plain, marked] = await Promise.all([probeMedia(out), probeMedia(result.watermarkFile!)]);
      expect(marked.video).toEqual(plain.video);
      expect(marked.audio).toEqual(plain.audio);
      expect(marked.durationSeconds).toBeCloseTo(plain.durationSeconds, 3);

      const a = await videoFrame(out, 60, width, height);
      const b = await videoFrame(result.watermarkFile!, 60, width, height);
      const corner: Region = { left: 0, top: Math.round(height * 0.75), width: Math.round(width * 0.25), height: Math.round(height * 0.2) };
      expect(meanDifference(a, b, corner)).toBeGreaterThan(10);
      expect(meanDifference(a, b, { left: 0, top: 0, width, height: Math.round(height / 2) })).toBeLessThan(1);
    });
  });

  it('follows the end frame’s aspect ratio when it is the only image', async () => {
    const out = join(dir, 'tail-only.mp4');
    const result = await renderVideo(plan({ aspectRatio: null, seconds: 1, lastFrame: await testImage(800, 1200, '#3050a0') }), out);
    expect(result).toMatchObject({ width: 720, height: 1080, seconds: 1 });
  });

  describe('multi-shot', () => {
    const shots = [
      { prompt: 'a fox asleep in the snow', seconds: 2 },
      { prompt: 'the fox wakes and leaps over a log', seconds: 3 },
    ];
    const multi = plan({ prompt: '', shots });

    it('gives each shot its own look for exactly its duration', async () => {
      const out = join(dir, 'multi.mp4');
      const result = await renderVideo(multi, out);
      expect(result.seconds).toBe(5);
      const media = await probeMedia(out);
      expect(media.video?.frames).toBe(120);
      expect(Math.abs(media.durationSeconds - 5)).toBeLessThanOrEqual(1 / 24);

      const { width, height } = result;
      const [f46, f47, f48, f49] = await Promise.all([46, 47, 48, 49].map((n) => videoFrame(out, n, width, height)));
      const above: Region = { left: 0, top: 0, width, height: height - 16 };
      // The cut is between frame 47 and 48: exactly 2 s at 24 fps.
      expect(meanDifference(f47, f48, above)).toBeGreaterThan(15);
      expect(meanDifference(f46, f47, above)).toBeLessThan(1);
      expect(meanDifference(f48, f49, above)).toBeLessThan(1);

      // A dark shot, then a light one.
      const key = shots.map((s) => s.prompt).join('\n');
      for (const [frame, i, tone] of [[f47, 0, 'dark'], [f48, 1, 'light']] as const) {
        const colour = meanColour(frame, backgroundPatch(width, height));
        expect(colourDistance(colour, rgbOf(shotPalette(key, i, tone).background))).toBeLessThan(8);
      }
    });

    it('cuts where standard scene detection finds a cut at every shot boundary, and nowhere else', async () => {
      const out = join(dir, 'cuts.mp4');
      const storyboard = [
        { prompt: 'a lighthouse keeper climbs the stairs', seconds: 1 },
        { prompt: 'the lamp turns on over a stormy sea', seconds: 2 },
        { prompt: 'a ship turns away from the rocks', seconds: 1 },
      ];
      await renderVideo(plan({ prompt: '', shots: storyboard }), out);
      const boundaries = [24, 72];
      // ffmpeg's scene score on the luma alone (as brightness-weighted detectors see it), and on the whole picture.
      for (const luma of [true, false]) {
        const cuts = await sceneCuts(out, 24, { luma });
        expect(cuts).toHaveLength(boundaries.length);
        cuts.forEach((cut, k) => expect(Math.abs(cut - boundaries[k])).toBeLessThanOrEqual(1));
      }
      // Version-independent: across each cut the brightness changes by over 30% of its range (current ffmpeg's
      // `gt(scene,0.3)` on the luma), while within a shot only the progress bar moves.
      for (const b of boundaries) {
        const [before, after] = await Promise.all([videoFrame(out, b - 1, 1280, 720), videoFrame(out, b, 1280, 720)]);
        expect(meanLumaDifference(before, after)).toBeGreaterThan(0.3 * 255);
      }
      const [a, b] = await Promise.all([videoFrame(out, 40, 1280, 720), videoFrame(out, 41, 1280, 720)]);
      expect(meanLumaDifference(a, b)).toBeLessThan(1);
    });

    it('follows a first-frame picture with a shot of the opposite brightness, so that cut is found too', async () => {
      const shots = [
        { prompt: 'the door opens', seconds: 1 },
        { prompt: 'a cat walks in', seconds: 1 },
      ];
      for (const colour of ['#202830', '#e8e4dc']) {
        const out = join(dir, `opening-${colour.slice(1)}.mp4`);
        await renderVideo(plan({ prompt: '', shots, firstFrame: await testImage(1280, 720, colour, colour) }), out);
        expect(await sceneCuts(out, 24, { luma: true })).toEqual([24]);
        const [before, after] = await Promise.all([videoFrame(out, 23, 1280, 720), videoFrame(out, 24, 1280, 720)]);
        expect(meanLumaDifference(before, after)).toBeGreaterThan(0.3 * 255);
      }
    });

    it('renders a storyboard with a camera move shot by shot, every frame there and every cut found', async () => {
      const out = join(dir, 'camera-shots.mp4');
      const storyboard = [
        { prompt: 'one', seconds: 1 },
        { prompt: 'two', seconds: 1.5 },
        { prompt: 'three', seconds: 1.5 },
      ];
      await renderVideo(plan({ prompt: '', shots: storyboard, camera: { type: 'simple', axis: 'horizontal', amount: 8 } }), out);
      expect((await probeMedia(out)).video).toMatchObject({ frames: 96, fps: 24 });
      expect(await sceneCuts(out, 24, { luma: true })).toEqual([24, 60]);
    });

    it('plays on without a seam where the encode was cut into parts', async () => {
      // The timeline is cut into one part per core, inside the long second shot wherever the machine puts it.
      const out = join(dir, 'parts.mp4');
      await renderVideo(plan({ prompt: '', shots: [{ prompt: 'a bell rings', seconds: 1 }, { prompt: 'birds scatter from the tower', seconds: 4 }] }), out);
      expect((await probeMedia(out)).video?.frames).toBe(120);
      expect(await sceneCuts(out, 24, { luma: true })).toEqual([24]);
      const track = progressTrackHeight(1280, 720);
      const [pictures, bars] = await Promise.all([
        allFrames(out, { x: 0, y: 0, width: 1280, height: 700 }, 320, 175),
        allFrames(out, { x: 0, y: 720 - track + 2, width: 1280, height: 2 }, 1280, 2),
      ]);
      expect(pictures).toHaveLength(120);
      // The picture above the bar changes only at the cut between the shots.
      const changes = pictures.flatMap((f, k) => (k > 0 && meanDifference(pictures[k - 1], f) > 1 ? [k] : []));
      expect(changes).toEqual([24]);
      const covered = bars.map((f) => barCoverage(f, 0));
      // No step is lost or repeated where one part ends and the next begins: the bar holds for 3 frames, then grows
      // by one of its 32 steps, until the track is full.
      for (let k = 25; k < 120; k++) {
        const grew = (covered[k] - covered[k - 1]) * 32;
        const full = covered[k - 1] > 0.99;
        expect(Math.abs(grew - ((k - 24) % 3 === 0 && !full ? 1 : 0))).toBeLessThan(0.5);
      }
      expect(covered[119]).toBeGreaterThan(0.99);
    });

    it('writes every frame and the whole soundtrack into both files of a storyboard with sound and a watermark', async () => {
      const out = join(dir, 'multi-sound.mp4');
      const marked = join(dir, 'multi-sound-marked.mp4');
      const result = await renderVideo({ ...multi, audio: true, watermark: true }, out, { watermarkFile: marked });
      expect(result).toMatchObject({ seconds: 5, hasAudio: true, watermarkFile: marked });
      const [plain, withMark] = await Promise.all([probeMedia(out), probeMedia(marked)]);
      for (const media of [plain, withMark]) {
        expect(media.video).toMatchObject({ codec: 'h264', width: 1280, height: 720, fps: 24, frames: 120 });
        expect(Math.abs(media.durationSeconds - 5)).toBeLessThanOrEqual(1 / 24);
        expect(media.audio).toMatchObject({ codec: 'aac', channels: 2 });
      }
      // The second shot is marked too, and otherwise the same picture.
      const [p, m] = await Promise.all([videoFrame(out, 100, 1280, 720), videoFrame(marked, 100, 1280, 720)]);
      const corner: Region = { left: 0, top: 540, width: 320, height: 144 };
      expect(meanDifference(p, m, corner)).toBeGreaterThan(10);
      expect(meanDifference(p, m, { left: 0, top: 0, width: 1280, height: 360 })).toBeLessThan(1);
    });

    it('stops a storyboard render when aborted and leaves no partial file', async () => {
      const out = join(dir, 'multi-aborted.mp4');
      const controller = new AbortController();
      controller.abort(new Error('task cancelled'));
      await expect(renderVideo(multi, out, { signal: controller.signal })).rejects.toThrow(/aborted \(task cancelled\)/);
      await expect(stat(out)).rejects.toThrow();
    });

    it('is deterministic: the same plan renders the same frames', async () => {
      const a = join(dir, 'multi-a.mp4');
      const b = join(dir, 'multi-b.mp4');
      await renderVideo(multi, a);
      await renderVideo(multi, b);
      for (const n of [0, 47, 48, 119]) {
        const [fa, fb] = await Promise.all([videoFrame(a, n, 1280, 720), videoFrame(b, n, 1280, 720)]);
        expect(fa.data.equals(fb.data)).toBe(true);
      }
    });
  });

  it('names the model, mode and sound on the frame when the caller says what was asked for', async () => {
    const bare = join(dir, 'label-bare.mp4');
    const named = join(dir, 'label-named.mp4');
    const p = plan({ seconds: 1, audio: true });
    await renderVideo(p, bare);
    await renderVideo(p, named, { renderedAs: { model: 'kling-v2-6', mode: 'std' } });
    const [a, b] = await Promise.all([videoFrame(bare, 12, 1280, 720), videoFrame(named, 12, 1280, 720)]);
    const m = cardMetrics(1280, 720);
    // The label line differs (what it says is checked in frame-label.test.ts); the rest of the card does not.
    expect(meanDifference(a, b, { left: 0, top: 0, width: 1280, height: m.margin + m.labelSize * 1.5 })).toBeGreaterThan(1);
    expect(meanDifference(a, b, { left: 0, top: 200, width: 1280, height: 400 })).toBe(0);
  });

  it('stops when aborted and leaves no partial file', async () => {
    const out = join(dir, 'aborted.mp4');
    const controller = new AbortController();
    const render = renderVideo(plan({ resolution: 'pro', seconds: 10 }), out, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('task cancelled')), 150);
    await expect(render).rejects.toThrow(/aborted/);
    await expect(stat(out)).rejects.toThrow();
  });

  it('reports an undecodable input image in words fit for task_status_msg, and writes nothing', async () => {
    const out = join(dir, 'broken.mp4');
    const garbage = Buffer.from('definitely not an image').toString('base64');
    await expect(renderVideo(plan({ firstFrame: garbage }), out)).rejects.toThrow('image: could not decode image');
    await expect(renderVideo(plan({ references: ['a', 'not base64!'] }), out)).rejects.toThrow(/^image_list\[\d\]: /);
    // A truncated file has a valid header, so it gets past the input check and fails when decoded.
    const png = Buffer.from(await testImage(400, 300, '#808080'), 'base64');
    const truncated = png.subarray(0, Math.round(png.length * 0.6)).toString('base64');
    await expect(renderVideo(plan({ lastFrame: truncated }), out)).rejects.toThrow('image_tail: could not decode image');
    await expect(renderVideo(plan({ references: [truncated] }), out)).rejects.toThrow('image_list[0]: could not decode image');
    await expect(stat(out)).rejects.toThrow();
  });
});
