// The inputs a custom voice or element is made from: images and a video kept as the client sent them (an element
// shows its own references back), and recordings measured for their sound track. Errors name the request field.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadImageInput, type ImageFetcher } from './load-image.ts';
import { probeMedia } from './probe.ts';

const IMAGE_EXTENSIONS: Record<string, string> = { jpeg: 'jpg', png: 'png' };

/** Saves an image input (URL or Base64) unchanged as `<dir>/<base>.<jpg|png>`; returns the file name and size. */
export async function keepImage(
  source: string, fetchImage: ImageFetcher, field: string, dir: string, base: string,
): Promise<{ file: string; width: number; height: number }> {
  const image = await loadImageInput(source, fetchImage, field);
  // The input checks let only jpg and png through; anything else is stored under sharp's name for it.
  const file = `${base}.${IMAGE_EXTENSIONS[image.format] ?? image.format}`;
  await writeFile(path.join(dir, file), image.buffer);
  return { file, width: image.width, height: image.height };
}

export interface MeasuredMedia {
  /** ffprobe's container name: 'mp3', 'wav', 'mov,mp4,m4a,3gp,3g2,mj2', … */
  format: string;
  seconds: number;
  hasSound: boolean;
  hasVideo: boolean;
}

/** What a file holds, or undefined when ffprobe cannot read it. */
export async function measureMedia(file: string): Promise<MeasuredMedia | undefined> {
  const probed = await probeMedia(file).catch(() => undefined);
  if (!probed) return undefined;
  return {
    format: probed.format,
    seconds: Math.round(probed.durationSeconds * 100) / 100,
    hasSound: !!probed.audio,
    hasVideo: !!probed.video,
  };
}
