// Renders an ExpandPlan (outpainting): the source image unchanged in the middle of the larger canvas the four ratios
// give, the new margins filled with a blurred, stretched copy of the source so they continue its colours, and a thin
// frame marking where the original ends (so a user sees at a glance what was "generated").

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { expandedSize, type ExpandPlan } from '@kiln/contract';
import { loadImageInput, type ImageFetcher } from './load-image.ts';
import { paletteFor } from './palette.ts';
import { savePicture, type SavedImage } from './save-image.ts';

export interface ExpandedImage extends SavedImage {
  index: number;
  /** Where the source sits on the canvas. */
  left: number;
  top: number;
}

export async function renderExpand(plan: ExpandPlan, outDir: string, fetchImage?: ImageFetcher): Promise<ExpandedImage[]> {
  const source = await loadImageInput(plan.image, fetchImage, 'image');
  const src = await sharp(source.buffer).autoOrient().removeAlpha().png().toBuffer();
  const { width, height } = expandedSize(source.width, source.height, plan.ratios);
  const left = Math.round(source.width * plan.ratios.left);
  const top = Math.round(source.height * plan.ratios.up);
  await mkdir(outDir, { recursive: true });
  // The blurred fill is the same for every variant; each variant tints it differently so the n results differ.
  const fill = await sharp(src).resize(width, height, { fit: 'fill' }).blur(Math.max(4, Math.min(width, height) / 40)).raw()
    .toBuffer({ resolveWithObject: true });
  return Promise.all(Array.from({ length: plan.count }, async (_, index): Promise<ExpandedImage> => {
    const tint = paletteFor(plan.prompt, index).shade;
    const veil = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <rect width="100%" height="100%" fill="${tint}" fill-opacity="0.35"/>
  <rect x="${left - 1}" y="${top - 1}" width="${source.width + 2}" height="${source.height + 2}" fill="none" stroke="#fff" stroke-opacity="0.7" stroke-width="2"/>
</svg>`);
    const canvas = sharp(fill.data, { raw: { width: fill.info.width, height: fill.info.height, channels: fill.info.channels } })
      .composite([{ input: veil, left: 0, top: 0 }, { input: src, left, top }]);
    // Flattened once so the composite order is fixed before the watermark goes on top.
    const flat = sharp(await canvas.png({ compressionLevel: 0 }).toBuffer());
    const saved = await savePicture(flat, join(outDir, `image-${index}.png`), plan.watermark);
    return { index, left, top, ...saved };
  }));
}
