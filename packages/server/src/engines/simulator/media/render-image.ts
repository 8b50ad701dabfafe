// Renders an ImagePlan to PNG files: one distinct card per requested image, plus watermarked twins when asked.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { imageSize, ratioValue, type ImagePlan } from '@kiln/contract';
import { loadImageInput, type ImageFetcher } from './load-image.ts';
import { paletteFor } from './palette.ts';
import { thumbnailEdge, titleCard } from './title-card.ts';
import { makeThumbnails } from './thumbnails.ts';
import { makeWatermark } from './watermark.ts';

export interface ImageRenderOptions {
  fetchImage?: ImageFetcher;
}

export interface RenderedImage {
  /** 0-based, as Kling numbers task_result.images. */
  index: number;
  file: string;
  width: number;
  height: number;
  watermarkFile?: string;
}

// Level 1 deflate without adaptive filtering: a 2k image encodes in tens of milliseconds instead of hundreds, and
// flat cards still compress to a few hundred kilobytes.
const OUTPUT_PNG = { compressionLevel: 1, adaptiveFiltering: false } as const;

export async function renderImages(plan: ImagePlan, outDir: string, opts: ImageRenderOptions = {}): Promise<RenderedImage[]> {
  // Requests carry one reference as `image` and several as `image_list`; errors name the field the user filled in.
  const fields = plan.references.map((_, i) => (plan.references.length === 1 ? 'image' : `image_list[${i}]`));
  const references = await Promise.all(plan.references.map((src, i) => loadImageInput(src, opts.fetchImage, fields[i])));

  // With no explicit ratio the output follows the first reference image, else it is square.
  const first = references[0];
  const ratio = plan.aspectRatio ? ratioValue(plan.aspectRatio) : first ? first.width / first.height : 1;
  const { width, height } = imageSize(plan.resolution, ratio);

  await mkdir(outDir, { recursive: true });
  const [thumbnails, watermark] = await Promise.all([
    makeThumbnails(references.map((r) => r.buffer), thumbnailEdge(width, height, references.length), fields),
    plan.watermark ? makeWatermark(width, height) : undefined,
  ]);

  return Promise.all(
    Array.from({ length: plan.count }, async (_, index): Promise<RenderedImage> => {
      const card = titleCard({
        width,
        height,
        // Each image turns the hue and carries its number, so the results are told apart at a glance.
        palette: paletteFor(plan.prompt, index),
        label: `KILN · IMAGE ${index + 1} OF ${plan.count} · ${width}×${height}`,
        text: plan.prompt.trim() || (references.length ? '(variation of the reference image)' : '(no prompt)'),
        badge: `${index + 1}/${plan.count}`,
        thumbnails,
      });
      const file = join(outDir, `image-${index}.png`);
      if (!watermark) {
        await card.png(OUTPUT_PNG).toFile(file);
        return { index, file, width, height };
      }
      // Both files come from one render of the card, so they differ only by the watermark.
      const { data, info } = await card.raw().toBuffer({ resolveWithObject: true });
      const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
      const watermarkFile = join(outDir, `image-${index}-watermark.png`);
      await Promise.all([
        sharp(data, raw).png(OUTPUT_PNG).toFile(file),
        sharp(data, raw)
          .composite([{ input: watermark.png, left: watermark.left, top: watermark.top }])
          .png(OUTPUT_PNG)
          .toFile(watermarkFile),
      ]);
      return { index, file, width, height, watermarkFile };
    }),
  );
}
