// Renders a VideoPlan to a real MP4: title cards per shot, first/last frame images, a moving progress bar, a tone.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, parse } from 'node:path';
import sharp from 'sharp';
import { ratioValue, videoSize, type VideoPlan } from '@kiln/contract';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { loadImageInput, type ImageFetcher, type LoadedImage } from './load-image.ts';
import { paletteFor } from './palette.ts';
import { runProcess } from './run-process.ts';
import { progressTrackHeight, thumbnailEdge, titleCard } from './title-card.ts';
import { makeThumbnails } from './thumbnails.ts';
import { toneFile } from './tone.ts';
import { videoArgs, type Segment } from './video-graph.ts';
import { makeWatermark } from './watermark.ts';

export interface VideoRenderOptions {
  fetchImage?: ImageFetcher;
  /** Where the watermarked copy goes when plan.watermark is set; defaults to "<name>-watermark.mp4" beside outFile. */
  watermarkFile?: string;
  signal?: AbortSignal;
}

export interface RenderedVideo {
  width: number;
  height: number;
  seconds: number;
  fps: number;
  hasAudio: boolean;
  watermarkFile?: string;
}

// Stills for ffmpeg: fast deflate and no filter search, since each is read once and thrown away.
const STILL_PNG = { compressionLevel: 1, adaptiveFiltering: false } as const;

export async function renderVideo(plan: VideoPlan, outFile: string, opts: VideoRenderOptions = {}): Promise<RenderedVideo> {
  // Field names as in image2video / multi-image2video requests, so errors point at what the user sent.
  const referenceFields = plan.references.map((_, i) => `image_list[${i}]`);
  const [first, last, references] = await Promise.all([
    plan.firstFrame === undefined ? undefined : loadImageInput(plan.firstFrame, opts.fetchImage, 'image'),
    plan.lastFrame === undefined ? undefined : loadImageInput(plan.lastFrame, opts.fetchImage, 'image_tail'),
    Promise.all(plan.references.map((src, i) => loadImageInput(src, opts.fetchImage, referenceFields[i]))),
  ]);

  // With no explicit ratio the video follows its input image: the first frame, or the end frame when alone.
  const guide = first ?? last;
  const ratio = plan.aspectRatio ? ratioValue(plan.aspectRatio) : guide ? guide.width / guide.height : 16 / 9;
  const { width, height } = videoSize(plan.resolution, ratio);
  const fps = plan.fps;
  const shots = plan.shots.length ? plan.shots : [{ prompt: plan.prompt, seconds: plan.seconds }];
  // Shots share one base hue turned by the golden angle per shot, so neighbouring shots always differ clearly.
  const paletteKey = shots.map((s) => s.prompt).join('\n');
  const frames = shots.map((s) => Math.max(1, Math.round(s.seconds * fps)));
  const seconds = frames.reduce((a, b) => a + b, 0) / fps;
  const barHeight = progressTrackHeight(width, height);
  const watermarkFile = plan.watermark ? (opts.watermarkFile ?? defaultWatermarkPath(outFile)) : undefined;

  const work = await mkdtemp(join(tmpdir(), 'kiln-video-'));
  const still = (name: string) => join(work, `${name}.png`);
  try {
    const [firstPhoto, lastPhoto, thumbnails] = await Promise.all([
      first && cover(first, width, height, 'image'),
      last && cover(last, width, height, 'image_tail'),
      makeThumbnails(references.map((r) => r.buffer), thumbnailEdge(width, height, references.length), referenceFields),
    ]);

    const segments: Segment[] = shots.map((_, i) => {
      // The input images hold for half a second, less in very short shots so the card always gets most of the time.
      const hold = Math.max(1, Math.min(Math.round(fps / 2), Math.floor(frames[i] / 4)));
      return {
        card: still(`card-${i}`),
        frames: frames[i],
        barColour: `0x${paletteFor(paletteKey, i).accent.slice(1)}`,
        intro: i === 0 && firstPhoto ? { png: still('first'), frames: hold } : undefined,
        outro: i === shots.length - 1 && lastPhoto ? { png: still('last'), frames: hold } : undefined,
      };
    });

    const [audioFile, watermark] = await Promise.all([
      plan.audio ? toneFile(seconds) : undefined,
      watermarkFile ? makeWatermark(width, height, barHeight) : undefined,
      ...shots.map((shot, i) =>
        titleCard({
          width,
          height,
          palette: paletteFor(paletteKey, i),
          // The first shot is drawn over the first frame, so the video visibly continues from it.
          photo: i === 0 ? firstPhoto : undefined,
          label: `KILN · ${shots.length > 1 ? `SHOT ${i + 1} OF ${shots.length} · ` : ''}${formatSeconds(shot.seconds)} · ${width}×${height}`,
          text: shot.prompt.trim() || (guide ? '(animating the input image)' : '(no prompt)'),
          thumbnails,
          trackHeight: barHeight,
        })
          .png(STILL_PNG)
          .toFile(still(`card-${i}`)),
      ),
      firstPhoto && writeFile(still('first'), firstPhoto),
      lastPhoto && writeFile(still('last'), lastPhoto),
    ]);
    if (watermark) await writeFile(still('watermark'), watermark.png);

    const outputs = watermarkFile ? [outFile, watermarkFile] : [outFile];
    await runProcess(
      ffmpegPath(),
      videoArgs({
        width,
        height,
        fps,
        segments,
        barHeight,
        audioFile,
        out: outFile,
        watermark:
          watermark && watermarkFile !== undefined
            ? { png: still('watermark'), left: watermark.left, top: watermark.top, out: watermarkFile }
            : undefined,
      }),
      { signal: opts.signal },
    ).catch(async (err: unknown) => {
      // A failed or aborted encode leaves truncated MP4s that must not be mistaken for results.
      await Promise.all(outputs.map((f) => rm(f, { force: true })));
      throw err;
    });
    return { width, height, seconds, fps, hasAudio: plan.audio, ...(watermarkFile ? { watermarkFile } : {}) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The image scaled to cover width × height and centre-cropped, as an opaque PNG. */
async function cover(image: LoadedImage, width: number, height: number, field: string): Promise<Buffer> {
  try {
    return await sharp(image.buffer)
      .rotate()
      // Bilinear: Lanczos costs twice as much, mostly when enlarging, and the difference does not survive H.264.
      .resize(width, height, { fit: 'cover', position: 'centre', kernel: 'linear' })
      .flatten({ background: '#000000' })
      .png(STILL_PNG)
      .toBuffer();
  } catch {
    // metadata() only reads the header, so a truncated image first fails here.
    throw new Error(`${field}: could not decode image`);
  }
}

function formatSeconds(seconds: number): string {
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} S`;
}

function defaultWatermarkPath(outFile: string): string {
  const { dir, name, ext } = parse(outFile);
  return join(dir, `${name}-watermark${ext || '.mp4'}`);
}
