// Renders a VideoPlan to a real MP4: title cards per shot, first/last frame images, a moving progress bar, a tone;
// a camera move on the background; for video editing the input video itself, with its sound when asked.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, parse } from 'node:path';
import sharp from 'sharp';
import { ratioValue, videoSize, type VideoPlan } from '@kiln/contract';
import { cameraLayer } from './camera.ts';
import { encodeVideo } from './encode-video.ts';
import { videoLabel, type RenderedAs } from './frame-label.ts';
import { loadImageInput, type ImageFetcher, type LoadedImage } from './load-image.ts';
import { paletteFor, shotPalette, shotTones } from './palette.ts';
import { baseVideoFilters, editedSeconds, firstFramePng, loadReferenceVideo, type VideoFetcher } from './reference-video.ts';
import { progressTrackHeight, thumbnailEdge, titleCard, titleCardLayers, type CardSpec } from './title-card.ts';
import { makeThumbnails } from './thumbnails.ts';
import { toneFile } from './tone.ts';
import { segmentPictures, type RawPicture, type Segment } from './video-graph.ts';
import { makeWatermark } from './watermark.ts';

export interface VideoRenderOptions {
  fetchImage?: ImageFetcher;
  /** Fetches an input video (omni-video `video_list`); a plain GET limited to 200 MB by default. */
  fetchVideo?: VideoFetcher;
  /** Where the watermarked copy goes when plan.watermark is set; defaults to "<name>-watermark.mp4" beside outFile. */
  watermarkFile?: string;
  /** The request's model and mode, named on every frame with the sound; unset for pictures that are part of another output. */
  renderedAs?: RenderedAs;
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

// Intermediate PNGs (the cover-fitted input images, read back by sharp): fast deflate and no filter search.
const STILL_PNG = { compressionLevel: 1, adaptiveFiltering: false } as const;

export async function renderVideo(plan: VideoPlan, outFile: string, opts: VideoRenderOptions = {}): Promise<RenderedVideo> {
  // Field names as in image2video / multi-image2video requests, so errors point at what the user sent.
  const referenceFields = plan.references.map((_, i) => `image_list[${i}]`);
  const [first, last, references] = await Promise.all([
    plan.firstFrame === undefined ? undefined : loadImageInput(plan.firstFrame, opts.fetchImage, 'image'),
    plan.lastFrame === undefined ? undefined : loadImageInput(plan.lastFrame, opts.fetchImage, 'image_tail'),
    Promise.all(plan.references.map((src, i) => loadImageInput(src, opts.fetchImage, referenceFields[i]))),
  ]);

  const work = await mkdtemp(join(tmpdir(), 'kiln-video-'));
  const still = (name: string) => join(work, `${name}.png`);
  const stills: Array<Promise<unknown>> = [];
  /** Each raw still's write, by file: a shot's encode starts as soon as its own stills are written. */
  const written = new Map<string, Promise<unknown>>();
  /** A still handed to ffmpeg as raw pixels; it is written while the other stills are drawn. */
  const raw = (name: string, image: sharp.Sharp, width: number, height: number, alpha = false): RawPicture => {
    const file = join(work, `${name}.${alpha ? 'rgba' : 'rgb'}`);
    const write = writeRaw(image, file, width, height, alpha);
    // Awaited by the encode; this keeps a failure while something else throws first from going unhandled.
    write.catch(() => undefined);
    stills.push(write);
    written.set(file, write);
    return { raw: file, width, height, alpha };
  };
  try {
    const refPlan = plan.referenceVideo;
    const refVideo = refPlan && (await loadReferenceVideo(refPlan, work, opts.fetchVideo, opts.signal));
    const editing = refPlan?.role === 'base' ? refVideo : undefined;

    // With no explicit ratio the video follows its input: the edited video, else the first frame, else the end frame.
    const guide = first ?? last;
    const ratio = editing
      ? editing.width / editing.height
      : plan.aspectRatio ? ratioValue(plan.aspectRatio) : guide ? guide.width / guide.height : 16 / 9;
    const { width, height } = videoSize(plan.resolution, ratio);
    const fps = plan.fps;
    // An edit lasts as long as its input and is one shot: the storyboard's durations were set for another length.
    const shots = editing
      ? [{ prompt: plan.prompt.trim() || plan.shots.map((s) => s.prompt).join(' · '), seconds: editedSeconds(editing) }]
      : plan.shots.length ? plan.shots : [{ prompt: plan.prompt, seconds: plan.seconds }];
    // Shots share one base hue turned by the golden angle per shot, so neighbouring shots always differ clearly.
    const paletteKey = shots.map((s) => s.prompt).join('\n');
    const frames = shots.map((s) => Math.max(1, Math.round(s.seconds * fps)));
    const seconds = frames.reduce((a, b) => a + b, 0) / fps;
    const barHeight = progressTrackHeight(width, height);
    const watermarkFile = plan.watermark ? (opts.watermarkFile ?? defaultWatermarkPath(outFile)) : undefined;
    // The input's own sound, when asked for and present; otherwise the tone when sound is on.
    const keptSound = refPlan?.keepSound && refVideo?.hasAudio ? refVideo : undefined;

    // A feature reference shows as a thumbnail of its first frame, after the reference images.
    const thumbSources = references.map((r) => r.buffer);
    const thumbFields = [...referenceFields];
    if (refVideo && !editing) {
      thumbSources.push(await firstFramePng(refVideo, opts.signal));
      thumbFields.push('video_list[0].video_url');
    }

    const [firstPhoto, lastPhoto, thumbnails] = await Promise.all([
      first && cover(first, width, height, 'image'),
      last && cover(last, width, height, 'image_tail'),
      makeThumbnails(thumbSources, thumbnailEdge(width, height, thumbSources.length), thumbFields),
    ]);

    // A storyboard's shots alternate dark and light so every cut is a change in brightness; one that opens on the
    // first frame continues with the tone opposite to that picture's. A single shot keeps the one dark look.
    const tones = shots.length > 1 ? shotTones(shots.length, firstPhoto ? await meanLuma(firstPhoto) : undefined) : undefined;
    const sound = keptSound !== undefined || plan.audio;
    const firstStill = firstPhoto && raw('first', sharp(firstPhoto), width, height);
    const lastStill = lastPhoto && raw('last', sharp(lastPhoto), width, height);
    const segments: Segment[] = shots.map((shot, i) => {
      // The input images hold for half a second, less in very short shots so the card always gets most of the time.
      const hold = Math.max(1, Math.min(Math.round(fps / 2), Math.floor(frames[i] / 4)));
      const photo = i === 0 ? firstPhoto : undefined;
      const palette = tones ? shotPalette(paletteKey, i, tones[i]) : paletteFor(paletteKey, i);
      const spec: CardSpec = {
        width,
        height,
        palette,
        // The first shot is drawn over the first frame, so the video visibly continues from it.
        photo,
        overPicture: editing !== undefined,
        label: videoLabel({
          renderedAs: opts.renderedAs,
          sound,
          editing: editing !== undefined,
          shot: i,
          shots: shots.length,
          seconds: shot.seconds,
          width,
          height,
        }),
        text: shot.prompt.trim() || (editing ? '(editing the input video)' : guide ? '(animating the input image)' : '(no prompt)'),
        thumbnails,
        trackHeight: barHeight,
      };
      const segment: Segment = {
        card: '',
        frames: frames[i],
        barColour: `0x${palette.accent.slice(1)}`,
        outro: i === shots.length - 1 && lastStill ? { png: lastStill, frames: hold } : undefined,
      };
      // A moving picture starts unmoved and text-free for the hold, like a first frame does.
      const overlayFrom = editing || photo ? hold : 0;
      if (editing) {
        const text = raw(`text-${i}`, titleCardLayers(spec, { width, height, scale: 1 }).foreground, width, height, true);
        segment.moving = { input: editing.file, filters: baseVideoFilters(width, height, fps), overlay: text, overlayFrom };
      } else if (plan.camera) {
        const moveFrames = frames[i] - (segment.outro?.frames ?? 0);
        const layer = cameraLayer(plan.camera, width, height, fps, moveFrames);
        const layers = titleCardLayers(spec, { ...layer.canvas, scale: layer.workScale });
        const scene = raw(`scene-${i}`, layers.background, layer.canvas.width, layer.canvas.height);
        const text = raw(`text-${i}`, layers.foreground, width, height, true);
        segment.moving = { input: scene, filters: layer.filters, overlay: text, overlayFrom };
      } else {
        segment.intro = firstStill && photo ? { png: firstStill, frames: hold } : undefined;
        segment.card = raw(`card-${i}`, titleCard(spec), width, height);
      }
      return segment;
    });

    const [audioFile, watermark] = await Promise.all([
      plan.audio && !keptSound ? toneFile(seconds) : undefined,
      watermarkFile ? makeWatermark(width, height, barHeight) : undefined,
    ]);
    if (watermark) await writeFile(still('watermark'), watermark.png);

    const outputs = watermarkFile ? [outFile, watermarkFile] : [outFile];
    await encodeVideo({
      graph: {
        width,
        height,
        fps,
        segments,
        barHeight,
        audioFile,
        audioFrom: keptSound && { input: keptSound.file, seconds },
        out: outFile,
        watermark:
          watermark && watermarkFile !== undefined
            ? { png: still('watermark'), left: watermark.left, top: watermark.top, out: watermarkFile }
            : undefined,
      },
      ready: (segment) => Promise.all(segmentPictures(segment).map((file) => written.get(file))),
      work,
      signal: opts.signal,
    }).catch(async (err: unknown) => {
      // A failed or aborted encode leaves truncated MP4s that must not be mistaken for results.
      await Promise.all(outputs.map((f) => rm(f, { force: true })));
      throw err;
    });
    const hasAudio = keptSound !== undefined || audioFile !== undefined;
    return { width, height, seconds, fps, hasAudio, ...(watermarkFile ? { watermarkFile } : {}) };
  } finally {
    // A still may still be writing when something else failed; the folder goes once nothing writes into it.
    await Promise.allSettled(stills);
    await rm(work, { recursive: true, force: true });
  }
}

/** Writes an image's pixels as ffmpeg reads a RawPicture; the size is checked, since ffmpeg would misread any other. */
async function writeRaw(image: sharp.Sharp, file: string, width: number, height: number, alpha: boolean): Promise<void> {
  let { data, info } = await (alpha ? image.ensureAlpha() : image.removeAlpha()).raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) throw new Error(`${file}: drawn at ${info.width}x${info.height}, expected ${width}x${height}`);
  // sharp composites after removing or adding alpha, so overlays can bring a channel back; fix it up then.
  if (info.channels !== (alpha ? 4 : 3)) {
    const fixed = sharp(data, { raw: { width, height, channels: info.channels } });
    ({ data, info } = await (alpha ? fixed.ensureAlpha() : fixed.removeAlpha()).raw().toBuffer({ resolveWithObject: true }));
  }
  await writeFile(file, data);
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

/** Mean luma (BT.601, 0–255) of an image. */
async function meanLuma(image: Buffer): Promise<number> {
  const [r, g, b] = (await sharp(image).stats()).channels;
  return 0.299 * r.mean + 0.587 * g.mean + 0.114 * b.mean;
}

function defaultWatermarkPath(outFile: string): string {
  const { dir, name, ext } = parse(outFile);
  return join(dir, `${name}-watermark${ext || '.mp4'}`);
}
