// Renders a TryOnPlan: the person image at its own size with the garment laid over the torso (the middle of the
// picture, scaled to about half its width), so the result visibly combines both inputs. Without a garment the person
// is returned as is, as Kling does when cloth_image is missing.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { TryOnPlan } from '@kiln/contract';
import { loadImageInput, type ImageFetcher } from './load-image.ts';
import { savePicture, type SavedImage } from './save-image.ts';

export interface TryOnImage extends SavedImage {
  index: number;
}

export async function renderTryOn(plan: TryOnPlan, outDir: string, fetchImage?: ImageFetcher): Promise<TryOnImage[]> {
  const [person, garment] = await Promise.all([
    loadImageInput(plan.person, fetchImage, 'human_image'),
    plan.garment === undefined ? undefined : loadImageInput(plan.garment, fetchImage, 'cloth_image'),
  ]);
  const base = await sharp(person.buffer).autoOrient().removeAlpha().png().toBuffer();
  const layers: sharp.OverlayOptions[] = [];
  if (garment) {
    // The torso: centred horizontally, from about a quarter of the height down.
    const boxW = Math.max(1, Math.round(person.width * 0.5));
    const boxH = Math.max(1, Math.round(person.height * 0.45));
    const cloth = await sharp(garment.buffer).autoOrient().resize(boxW, boxH, { fit: 'inside' }).png().toBuffer({ resolveWithObject: true });
    layers.push({
      input: cloth.data,
      left: Math.round((person.width - cloth.info.width) / 2),
      top: Math.round(person.height * 0.27 + (boxH - cloth.info.height) / 2),
    });
  }
  await mkdir(outDir, { recursive: true });
  return Promise.all(Array.from({ length: plan.count }, async (_, index): Promise<TryOnImage> => {
    const picture = sharp(await sharp(base).composite(layers).png({ compressionLevel: 0 }).toBuffer());
    return { index, ...(await savePicture(picture, join(outDir, `image-${index}.png`), plan.watermark)) };
  }));
}
