// Multi-elements preview-selection (spec §2.6): the session video with the selected element tinted, its cover, and
// the "tracking output" (the mask of every frame, as a white-on-black video). The simulator does not track: each
// frame shows the mask of the nearest marked frame, so the mask jumps half-way between marks.

import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTAINER_ARGS, RENDER_NICE, VIDEO_CODEC_ARGS } from './encode-settings.ts';
import { ffmpegPath } from './ffmpeg-paths.ts';
import type { Mask } from './rle.ts';
import { maskOverlayPng } from './selection-mask.ts';
import { runProcess } from './run-process.ts';

/** Kling's sample code draws masks in this colour (116, 255, 82) at alpha 163. */
export const PREVIEW_TINT = [116, 255, 82, 163] as const;
const WHITE = [255, 255, 255, 255] as const;

export interface MarkedFrame {
  frameIndex: number;
  mask: Mask;
}

export interface PreviewFiles {
  video: string;
  cover: string;
  tracking: string;
}

/** [first, last) frame ranges: each marked frame owns the frames nearer to it than to its neighbours. */
export function frameRanges(frames: readonly number[]): { from: number; to: number }[] {
  const sorted = [...frames].sort((a, b) => a - b);
  return sorted.map((_, i) => ({
    from: i === 0 ? 0 : Math.floor((sorted[i - 1] + sorted[i]) / 2) + 1,
    to: i === sorted.length - 1 ? Number.MAX_SAFE_INTEGER : Math.floor((sorted[i] + sorted[i + 1]) / 2) + 1,
  }));
}

/**
 * Renders `<prefix>.mp4` (tinted), `<prefix>-cover.jpg` (its first marked frame) and `<prefix>-tracking.mp4` in
 * `dir`, from the session video and its marked frames (at least one).
 */
export async function renderSelectionPreview(
  dir: string, prefix: string, video: string, size: { width: number; height: number; fps: number; seconds: number },
  marked: readonly MarkedFrame[],
): Promise<PreviewFiles> {
  const sorted = [...marked].sort((a, b) => a.frameIndex - b.frameIndex);
  const ranges = frameRanges(sorted.map((m) => m.frameIndex));
  const tints: string[] = [];
  const whites: string[] = [];
  const files = { video: join(dir, `${prefix}.mp4`), cover: join(dir, `${prefix}-cover.jpg`), tracking: join(dir, `${prefix}-tracking.mp4`) };
  const chain = (base: string) =>
    ranges.map((r, i) => `[${i === 0 ? base : `v${i}`}][${i + 1}:v]overlay=0:0:enable='gte(n\\,${r.from})*lt(n\\,${r.to})'[v${i + 1}]`).join(';');
  // Each mask is a one-frame input: overlay repeats a finished input's last frame, so it is decoded once, not per frame.
  const overlays = (pngs: string[]) => pngs.flatMap((p) => ['-i', p]);
  const encode = ['-map', `[v${ranges.length}]`, '-an', '-t', size.seconds.toFixed(3), ...VIDEO_CODEC_ARGS, ...CONTAINER_ARGS];
  const quiet = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'];

  try {
    for (const [i, m] of sorted.entries()) {
      tints.push(join(dir, `${prefix}-tint-${i}.png`));
      whites.push(join(dir, `${prefix}-white-${i}.png`));
      await writeFile(tints[i], await maskOverlayPng(m.mask, PREVIEW_TINT));
      await writeFile(whites[i], await maskOverlayPng(m.mask, WHITE));
    }
    await runProcess(ffmpegPath(), [
      ...quiet, '-i', video, ...overlays(tints),
      '-filter_complex', `[0:v]setpts=PTS-STARTPTS[base];${chain('base')}`, ...encode, files.video,
    ], { nice: RENDER_NICE });
    await runProcess(ffmpegPath(), [
      ...quiet, '-f', 'lavfi', '-i', `color=c=black:s=${size.width}x${size.height}:r=${size.fps}:d=${size.seconds.toFixed(3)}`,
      ...overlays(whites),
      '-filter_complex', `[0:v]format=yuv420p[base];${chain('base')}`, ...encode, files.tracking,
    ], { nice: RENDER_NICE });
    await runProcess(ffmpegPath(), [
      ...quiet, '-i', files.video, '-vf', `select=gte(n\\,${sorted[0].frameIndex})`, '-frames:v', '1', '-q:v', '3', files.cover,
    ]);
  } finally {
    // The overlays were only inputs; the folder keeps what is served.
    await Promise.all([...tints, ...whites].map((f) => rm(f, { force: true })));
  }
  return files;
}
