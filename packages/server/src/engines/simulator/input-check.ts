// Reads a task's media inputs for real, as Kling does: images are decoded and held to the documented limits;
// videos are downloaded and probed. Base64 problems are found at create (1201); URL problems fail the task with a
// precise `task_status_msg`.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { collectMediaInputs, imageLimitBroken, IMAGE_LIMITS, KlingError, videoLimitBroken, type AnyFamily } from '@kiln/contract';
import { TaskFailure } from '../engine.ts';
import { probeMedia } from './media/probe.ts';

const isUrl = (value: string) => /^https?:\/\//i.test(value);
const MAX_VIDEO_BYTES = 200 * 1024 * 1024;

/** Base64 images are checked when the task is created: a fault is the client's and costs nothing. */
export async function checkBase64Images(family: AnyFamily, body: Record<string, any>): Promise<void> {
  for (const input of collectMediaInputs(family.request, body)) {
    if (input.kind !== 'image' || isUrl(input.value)) continue;
    const buffer = Buffer.from(input.value.replace(/\s+/g, ''), 'base64');
    const broken = await imageProblem(buffer);
    if (broken) throw new KlingError(1201, `${input.field}: ${broken}`);
  }
}

/**
 * Fetches every URL input of the task and checks it; returns the fetched images by URL so the renderer does not
 * fetch them again. Throws TaskFailure naming the field.
 */
export async function readUrlInputs(
  family: AnyFamily,
  body: Record<string, any>,
  fetchInput: (url: string, maxBytes: number) => Promise<Buffer>,
): Promise<Map<string, Buffer>> {
  const images = new Map<string, Buffer>();
  for (const input of collectMediaInputs(family.request, body)) {
    if (!isUrl(input.value)) continue;
    const limit = input.kind === 'image' ? IMAGE_LIMITS.maxBytes : MAX_VIDEO_BYTES;
    let buffer: Buffer;
    try {
      buffer = await fetchInput(input.value, limit);
    } catch (error) {
      throw new TaskFailure(`${input.field}: could not download (${(error as Error).message})`);
    }
    if (input.kind === 'image') {
      const broken = await imageProblem(buffer);
      if (broken) throw new TaskFailure(`${input.field}: ${broken}`);
      images.set(input.value, buffer);
    } else {
      const broken = await videoProblem(buffer);
      if (broken) throw new TaskFailure(`${input.field}: ${broken}`);
    }
  }
  return images;
}

async function imageProblem(buffer: Buffer): Promise<string | undefined> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(buffer).metadata();
  } catch {
    return 'not a readable image (jpg, jpeg or png expected)';
  }
  if (!meta.format || !meta.width || !meta.height) return 'not a readable image (jpg, jpeg or png expected)';
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  return imageLimitBroken({ format: meta.format, bytes: buffer.length, width, height });
}

/** A reference video must be an MP4/MOV that meets the contract's VIDEO_LIMITS. */
async function videoProblem(buffer: Buffer): Promise<string | undefined> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiln-input-'));
  const file = path.join(dir, 'input');
  try {
    await fs.writeFile(file, buffer);
    let info;
    try {
      info = await probeMedia(file);
    } catch {
      return 'not a readable video (mp4 or mov expected)';
    }
    if (!/mov|mp4/.test(info.format) || !info.video) return 'video must be an MP4 or MOV file with a video stream';
    const { width, height, fps } = info.video;
    return videoLimitBroken({ seconds: info.durationSeconds, width, height, fps });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
