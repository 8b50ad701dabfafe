// Multi-elements: the session's video edited per `edit_mode`. Addition lays the given subject image(s) into the lower
// part of the picture for the whole video; swap puts the image over the selected element, shaped like its mask;
// removal fills the selected element from its surroundings. The simulator does not track: as in preview-selection,
// each frame uses the mask of the nearest marked frame (selection-preview.ts `frameRanges`).

import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { encodeEdit, type EditedVideo } from './edit-output.ts';
import type { Mask } from './rle.ts';
import { maskFromPoints } from './selection-mask.ts';
import { frameRanges, type MarkedFrame } from './selection-preview.ts';
import { framePng, type Crop } from './session-video.ts';

export type EditMode = 'addition' | 'swap' | 'removal';

export interface MultiElementsJob {
  video: string;
  facts: { width: number; height: number; fps: number; seconds: number; hasAudio: boolean };
  mode: EditMode;
  /** The decoded subject images (addition: 1–2, swap: 1, removal: none). */
  images: Buffer[];
  /** The session's marks; none marked: the middle of the frame stands for the element (see `defaultMark`). */
  marked: readonly MarkedFrame[];
  /** The output frame (the resolution class at the session video's aspect ratio). */
  size: { width: number; height: number };
  keepSound: boolean;
  watermark: boolean;
  outDir: string;
}

interface Patch {
  png: Buffer;
  left: number;
  top: number;
  /** [from, to) frames it is shown; absent: the whole video. */
  frames?: { from: number; to: number };
}

export async function renderMultiElements(job: MultiElementsJob): Promise<EditedVideo> {
  const patches = job.mode === 'addition' ? await additionPatches(job) : await maskPatches(job);
  const files = patches.map((_, i) => join(job.outDir, `edit-patch-${i}.png`));
  try {
    await Promise.all(patches.map((p, i) => writeFile(files[i], p.png)));
    const chain = [`[0:v]setpts=PTS-STARTPTS[e0]`];
    patches.forEach((p, i) => {
      const enable = p.frames ? `:enable='gte(n\\,${p.frames.from})*lt(n\\,${p.frames.to})'` : '';
      chain.push(`[e${i}][${i + 1}:v]overlay=${p.left}:${p.top}${enable}[e${i + 1}]`);
    });
    const { width, height } = job.size;
    chain.push(`[e${patches.length}]scale=${width}:${height},setsar=1,format=yuv420p[vout]`);
    const sound = job.keepSound && job.facts.hasAudio;
    if (sound) chain.push('[0:a]anull[aout]');
    return await encodeEdit({
      inputs: [['-i', job.video], ...files.map((f) => ['-i', f])],
      graph: chain.join(';'),
      video: 'vout',
      audio: sound ? 'aout' : undefined,
      width, height, seconds: job.facts.seconds, outDir: job.outDir, watermark: job.watermark,
    });
  } finally {
    await Promise.all(files.map((f) => rm(f, { force: true })));
  }
}

/** Addition: each image fitted into a slot of the lower part of the frame (one in the middle, two side by side). */
async function additionPatches(job: MultiElementsJob): Promise<Patch[]> {
  const { width, height } = job.facts;
  const centres = job.images.length === 1 ? [0.5] : [0.3, 0.7];
  return Promise.all(job.images.map(async (image, i) => {
    const fitted = await sharp(image).autoOrient().ensureAlpha()
      .resize(Math.round(width * 0.32), Math.round(height * 0.45), { fit: 'inside' })
      .png().toBuffer({ resolveWithObject: true });
    return {
      png: fitted.data,
      left: Math.round(width * centres[i] - fitted.info.width / 2),
      top: Math.round(height * 0.95 - fitted.info.height),
    };
  }));
}

/** Swap and removal: per marked frame, a patch over its mask, shown for the frames nearest that mark. */
async function maskPatches(job: MultiElementsJob): Promise<Patch[]> {
  const marked = job.marked.length ? [...job.marked].sort((a, b) => a.frameIndex - b.frameIndex) : [defaultMark(job.facts)];
  const ranges = frameRanges(marked.map((m) => m.frameIndex));
  const patches: Patch[] = [];
  for (const [i, mark] of marked.entries()) {
    const box = maskBox(mark.mask);
    if (!box) continue;
    const colour = job.mode === 'swap'
      ? await sharp(job.images[0]).autoOrient().resize(box.width, box.height, { fit: 'cover' }).removeAlpha().raw().toBuffer()
      : await filledFromSurroundings(job, mark, box);
    patches.push({ png: await shapedPatch(colour, mark.mask, box), left: box.x, top: box.y, frames: ranges[i] });
  }
  return patches;
}

/** Nothing marked: the element is taken to be the middle of the frame (an ellipse over a fifth of it). */
function defaultMark(facts: { width: number; height: number }): MarkedFrame {
  return { frameIndex: 0, mask: maskFromPoints([{ x: 0.4, y: 0.4 }, { x: 0.6, y: 0.6 }], facts.width, facts.height) };
}

function maskBox(mask: Mask): Crop | undefined {
  let [minX, minY, maxX, maxY] = [mask.width, mask.height, -1, -1];
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (!mask.data[y * mask.width + x]) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return maxX < 0 ? undefined : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** RGB pixels of `box` with the mask as alpha: the patch shows only over the element. */
function shapedPatch(rgb: Buffer, mask: Mask, box: Crop): Promise<Buffer> {
  const rgba = Buffer.alloc(box.width * box.height * 4);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const i = y * box.width + x;
      rgba[i * 4] = rgb[i * 3];
      rgba[i * 4 + 1] = rgb[i * 3 + 1];
      rgba[i * 4 + 2] = rgb[i * 3 + 2];
      rgba[i * 4 + 3] = mask.data[(box.y + y) * mask.width + box.x + x] ? 255 : 0;
    }
  }
  return sharp(rgba, { raw: { width: box.width, height: box.height, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
}

/**
 * Removal: the element's pixels guessed from around it, on the marked frame. A blur that weighs only the pixels
 * outside the mask (a normalized convolution: blur(picture × outside) / blur(outside)) spreads the surroundings
 * into the hole, so the element disappears into its background instead of being smeared.
 */
async function filledFromSurroundings(job: MultiElementsJob, mark: MarkedFrame, box: Crop): Promise<Buffer> {
  const { width, height, fps } = job.facts;
  const sigma = Math.max(3, Math.max(box.width, box.height) / 3);
  const margin = Math.ceil(sigma * 2);
  const area = {
    left: Math.max(0, box.x - margin),
    top: Math.max(0, box.y - margin),
    width: Math.min(width, box.x + box.width + margin) - Math.max(0, box.x - margin),
    height: Math.min(height, box.y + box.height + margin) - Math.max(0, box.y - margin),
  };
  const frame = await framePng(job.video, mark.frameIndex / fps);
  const picture = await sharp(frame).extract(area).removeAlpha().raw().toBuffer();
  const pixels = area.width * area.height;
  const weighted = Buffer.alloc(pixels * 3);
  const outside = Buffer.alloc(pixels);
  for (let y = 0; y < area.height; y++) {
    for (let x = 0; x < area.width; x++) {
      const i = y * area.width + x;
      const keep = mark.mask.data[(area.top + y) * width + area.left + x] ? 0 : 1;
      outside[i] = keep * 255;
      for (let c = 0; c < 3; c++) weighted[i * 3 + c] = picture[i * 3 + c] * keep;
    }
  }
  // sharp hands a one-channel image back as three channels unless told to keep one.
  const blur = (data: Buffer, channels: 1 | 3) => {
    const blurred = sharp(data, { raw: { width: area.width, height: area.height, channels } }).blur(sigma);
    return (channels === 1 ? blurred.extractChannel(0) : blurred).raw().toBuffer();
  };
  const [sum, weight] = await Promise.all([blur(weighted, 3), blur(outside, 1)]);
  const fill = Buffer.alloc(box.width * box.height * 3);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const i = (box.y - area.top + y) * area.width + box.x - area.left + x;
      const w = weight[i];
      for (let c = 0; c < 3; c++) {
        // Where no outside pixel reaches (a mask wider than the blur), a neutral grey stands in.
        fill[(y * box.width + x) * 3 + c] = w > 0 ? Math.min(255, Math.round((sum[i * 3 + c] * 255) / w)) : 128;
      }
    }
  }
  return fill;
}
