// Renders a MultiViewPlan (AI multi-shot): `sets` result sets of `views` pictures each, at the frontal image's size.
// Each view shows the subject as if seen from another angle — mirrored for the side views, squeezed and shifted as
// the turn would foreshorten it — over a tinted backdrop, labelled with its set and view, so sets and views differ.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { MultiViewPlan } from '@kiln/contract';
import { loadImageInput, type ImageFetcher } from './load-image.ts';
import { paletteFor } from './palette.ts';
import { savePicture } from './save-image.ts';

export interface RenderedViewSet {
  index: number;
  /** `url_1`…`url_n` in order. */
  files: string[];
}

/** The turn of each view in degrees: a right side, a left side, the back (repeating for more views). */
const TURNS = [60, -60, 180];

export async function renderMultiView(plan: MultiViewPlan, outDir: string, fetchImage?: ImageFetcher): Promise<RenderedViewSet[]> {
  const frontal = await loadImageInput(plan.frontal, fetchImage, 'element_frontal_image');
  const { width, height } = frontal;
  const src = await sharp(frontal.buffer).autoOrient().removeAlpha().png().toBuffer();
  await mkdir(outDir, { recursive: true });
  return Promise.all(Array.from({ length: plan.sets }, async (_, set): Promise<RenderedViewSet> => {
    const files = await Promise.all(Array.from({ length: plan.views }, async (_, v) => {
      const turn = TURNS[v % TURNS.length];
      // Foreshortening: the subject narrows as it turns away (cos of the turn, never below a third).
      const squeeze = Math.max(1 / 3, Math.abs(Math.cos((turn * Math.PI) / 180)));
      const subjectW = Math.max(1, Math.round(width * squeeze * (0.9 - 0.05 * set)));
      const subjectH = Math.max(1, Math.round(height * (0.9 - 0.05 * set)));
      let subject = sharp(src).resize(subjectW, subjectH, { fit: 'fill' });
      if (turn < 0 || turn === 180) subject = subject.flop();
      if (turn === 180) subject = subject.modulate({ brightness: 0.6 });
      const palette = paletteFor(`multi-shot ${set}`, v);
      const label = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <text x="${Math.round(width * 0.03)}" y="${Math.round(height * 0.07)}" font-family="DejaVu Sans" font-size="${Math.max(10, Math.round(height * 0.045))}" fill="#fff">KILN · SET ${set + 1} · VIEW ${v + 1} · ${turn}°</text>
</svg>`);
      const picture = sharp({ create: { width, height, channels: 3, background: palette.background } }).composite([
        { input: await subject.png().toBuffer(), left: Math.round((width - subjectW) / 2), top: Math.round((height - subjectH) / 2) },
        { input: label, left: 0, top: 0 },
      ]);
      const flat = sharp(await picture.png({ compressionLevel: 0 }).toBuffer());
      return (await savePicture(flat, join(outDir, `set-${set}-view-${v + 1}.png`), false)).file;
    }));
    return { index: set, files };
  }));
}
