// Helpers for the media tests: synthetic input images, decoded video frames, and pixel comparisons.

import sharp from 'sharp';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { runProcess } from './run-process.ts';

export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

/** A PNG of one colour with a contrasting disc, so crops and flips would show; as Base64, the way clients send it. */
export async function testImage(width: number, height: number, colour: string, disc = '#ffffff'): Promise<string> {
  const r = Math.round(Math.min(width, height) / 4);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${r}" fill="${disc}"/></svg>`;
  const png = await sharp({ create: { width, height, channels: 3, background: colour } })
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toBuffer();
  return png.toString('base64');
}

/** Decodes frame `index` (0-based) of a video to RGB. */
export async function videoFrame(file: string, index: number, width: number, height: number): Promise<RgbImage> {
  const { stdout } = await runProcess(
    ffmpegPath(),
    ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${index})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { captureStdout: true },
  );
  if (stdout.length !== width * height * 3) throw new Error(`frame ${index} of ${file}: got ${stdout.length} bytes`);
  return { data: stdout, width, height };
}

/** Writes a frame as PNG, for looking at a failure. */
export function saveFrame(frame: RgbImage, file: string): Promise<unknown> {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).png().toFile(file);
}

/** An image file or Base64 input, scaled to cover width × height like the renderer does, as RGB. */
export async function coverRgb(input: Buffer | string, width: number, height: number): Promise<RgbImage> {
  const buffer = typeof input === 'string' ? Buffer.from(input, 'base64') : input;
  const data = await sharp(buffer).resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer();
  return { data, width, height };
}

/** Decodes a PNG file to RGB. */
export async function readRgb(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Whole pixels: layouts computed from fractions land between them. */
function pixels(r: Region): Region {
  return { left: Math.round(r.left), top: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) };
}

/** Mean absolute difference per channel (0–255) between two same-sized images, optionally within a region. */
export function meanDifference(a: RgbImage, b: RgbImage, region?: Region): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('images differ in size');
  const r = pixels(region ?? { left: 0, top: 0, width: a.width, height: a.height });
  let sum = 0;
  for (let y = r.top; y < r.top + r.height; y++) {
    for (let i = (y * a.width + r.left) * 3, end = i + r.width * 3; i < end; i++) sum += Math.abs(a.data[i] - b.data[i]);
  }
  return sum / (r.width * r.height * 3);
}

/** Mean colour [r, g, b] of a region. */
export function meanColour(img: RgbImage, area: Region): [number, number, number] {
  const region = pixels(area);
  const sum = [0, 0, 0];
  for (let y = region.top; y < region.top + region.height; y++) {
    for (let x = region.left; x < region.left + region.width; x++) {
      const i = (y * img.width + x) * 3;
      sum[0] += img.data[i];
      sum[1] += img.data[i + 1];
      sum[2] += img.data[i + 2];
    }
  }
  const n = region.width * region.height;
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

/** Share of pixels in a region that are near white: drawn text on the dark cards. */
export function whiteShare(img: RgbImage, area: Region): number {
  const region = pixels(area);
  let white = 0;
  for (let y = region.top; y < region.top + region.height; y++) {
    for (let x = region.left; x < region.left + region.width; x++) {
      const i = (y * img.width + x) * 3;
      if (img.data[i] > 220 && img.data[i + 1] > 220 && img.data[i + 2] > 220) white++;
    }
  }
  return white / (region.width * region.height);
}

/** '#rrggbb' → [r, g, b]. */
export function rgbOf(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

/** First and last near-white pixel along row `y` (or column `x` with `vertical`): where a white disc crosses it. */
export function whiteSpan(img: RgbImage, at: number, vertical = false): { start: number; end: number } | undefined {
  const length = vertical ? img.height : img.width;
  let start = -1;
  let end = -1;
  for (let k = 0; k < length; k++) {
    const i = vertical ? (k * img.width + at) * 3 : (at * img.width + k) * 3;
    if (img.data[i] > 200 && img.data[i + 1] > 200 && img.data[i + 2] > 200) {
      if (start < 0) start = k;
      end = k;
    }
  }
  return start < 0 ? undefined : { start, end };
}

/** A test video made by ffmpeg: lavfi testsrc (a moving pattern with a frame counter), with a sine tone unless silent. */
export async function testVideo(file: string, opts: { width: number; height: number; seconds: number; fps?: number; sound?: boolean }): Promise<string> {
  const { width, height, seconds, fps = 30, sound = true } = opts;
  await runProcess(ffmpegPath(), [
    '-nostdin', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
    ...(sound ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`] : []),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    ...(sound ? ['-c:a', 'aac', '-b:a', '96k'] : []),
    '-f', 'mp4', file,
  ]);
  return file;
}

/**
 * The frames (0-based) where ffmpeg's scene detection finds a cut: `select='gt(scene,threshold)'`, on the luma alone
 * with `luma` (as detectors that weigh brightness do), read back from showinfo's timestamps.
 */
export async function sceneCuts(file: string, fps: number, { threshold = 0.3, luma = false } = {}): Promise<number[]> {
  const filter = `${luma ? 'format=gray,' : ''}select='gt(scene,${threshold})',showinfo`;
  const { stderr } = await runProcess(ffmpegPath(), ['-nostdin', '-hide_banner', '-nostats', '-v', 'info', '-i', file, '-vf', filter, '-an', '-f', 'null', '-']);
  return [...stderr.matchAll(/Parsed_showinfo.*? pts_time:\s*([\d.]+)/g)].map((m) => Math.round(Number(m[1]) * fps));
}

/** Mean absolute difference of BT.601 luma (0–255) between two same-sized images: how much brighter or darker. */
export function meanLumaDifference(a: RgbImage, b: RgbImage): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('images differ in size');
  const luma = (d: Buffer, i: number) => 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 3) sum += Math.abs(luma(a.data, i) - luma(b.data, i));
  return sum / (a.width * a.height);
}

/** Every frame of a video, cut to `crop` (x, y, width, height) and scaled to width × height, as RGB. */
export async function allFrames(
  file: string,
  crop: { x: number; y: number; width: number; height: number },
  width: number,
  height: number,
): Promise<RgbImage[]> {
  const { stdout } = await runProcess(
    ffmpegPath(),
    ['-v', 'error', '-i', file, '-vf', `crop=${crop.width}:${crop.height}:${crop.x}:${crop.y},scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { captureStdout: true },
  );
  const size = width * height * 3;
  return Array.from({ length: stdout.length / size }, (_, i) => ({ data: stdout.subarray(i * size, (i + 1) * size), width, height }));
}
