// Writes one rendered picture as the PNG a task returns, plus its watermarked twin when the request asked for one:
// shared by the image edits (expand, try-on, multi-shot views) so each renders once and differs only by the badge.

import sharp from 'sharp';
import { makeWatermark } from './watermark.ts';

// Fast deflate, as render-image.ts: results are photos of modest size, encode time matters more than bytes.
const OUTPUT_PNG = { compressionLevel: 1, adaptiveFiltering: false } as const;

export interface SavedImage {
  file: string;
  watermarkFile?: string;
  width: number;
  height: number;
}

/** Saves `picture` to `file` (a .png path); with `watermark`, also to `<file>-watermark.png`. */
export async function savePicture(picture: sharp.Sharp, file: string, watermark: boolean): Promise<SavedImage> {
  const { data, info } = await picture.raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const size = { width: info.width, height: info.height };
  if (!watermark) {
    await sharp(data, raw).png(OUTPUT_PNG).toFile(file);
    return { file, ...size };
  }
  const badge = await makeWatermark(info.width, info.height);
  const watermarkFile = file.replace(/\.png$/, '-watermark.png');
  await Promise.all([
    sharp(data, raw).png(OUTPUT_PNG).toFile(file),
    sharp(data, raw).composite([{ input: badge.png, left: badge.left, top: badge.top }]).png(OUTPUT_PNG).toFile(watermarkFile),
  ]);
  return { file, watermarkFile, ...size };
}
