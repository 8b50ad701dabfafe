// Reads a task's media inputs for real, as Kling does, and holds each to the limits its field carries in the
// contract (format, bytes, edges, ratio, length, frame rate): images are decoded, videos downloaded and probed.
// Base64 problems are found at create (1201); URL problems fail the task with a precise `task_status_msg` that
// names the field and the limit.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import {
  checkInlineMedia, collectMediaInputs, imageLimitBroken, isUrl, KlingError, videoLimitBroken, type AnyFamily, type MediaLimits,
} from '@kiln/contract';
import { TaskFailure } from '../engine.ts';
import { probeMedia } from './media/probe.ts';

/**
 * Base64 inputs are checked when the task is created: a fault is the client's and costs nothing. What the text shows
 * (size, format, a PNG's pixels) is checked before anything is decoded; images are then decoded and held to the rest.
 */
export async function checkBase64Images(family: AnyFamily, body: Record<string, any>): Promise<void> {
  for (const input of checkInlineMedia(family.request, body)) {
    if (input.kind !== 'image' || isUrl(input.value)) continue;
    const buffer = Buffer.from(input.value.replace(/\s+/g, ''), 'base64');
    const broken = await imageProblem(buffer, input.limits);
    if (broken) throw new KlingError(1201, `${input.field}: ${broken}`);
  }
}

/**
 * Fetches every URL input of the task (no more bytes than its field allows) and checks it; returns the fetched
 * images by URL so the renderer does not fetch them again. Throws TaskFailure naming the field.
 */
export async function readUrlInputs(
  family: AnyFamily,
  body: Record<string, any>,
  fetchInput: (url: string, maxBytes: number) => Promise<Buffer>,
): Promise<Map<string, Buffer>> {
  const images = new Map<string, Buffer>();
  for (const input of collectMediaInputs(family.request, body)) {
    if (!isUrl(input.value)) continue;
    let buffer: Buffer;
    try {
      buffer = await fetchInput(input.value, input.limits.maxBytes);
    } catch (error) {
      throw new TaskFailure(`${input.field}: could not download (${(error as Error).message})`);
    }
    if (input.kind === 'image') {
      const broken = await imageProblem(buffer, input.limits);
      if (broken) throw new TaskFailure(`${input.field}: ${broken}`);
      images.set(input.value, buffer);
    } else {
      const broken = await videoProblem(buffer, input.limits);
      if (broken) throw new TaskFailure(`${input.field}: ${broken}`);
    }
  }
  return images;
}

async function imageProblem(buffer: Buffer, limits: MediaLimits): Promise<string | undefined> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(buffer).metadata();
  } catch {
    return 'not a readable image (jpg, jpeg or png expected)';
  }
  if (!meta.format || !meta.width || !meta.height) return 'not a readable image (jpg, jpeg or png expected)';
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  return imageLimitBroken({ format: meta.format, bytes: buffer.length, width, height }, limits);
}

/** A video is probed and held to its field's limits (as shown: a phone video's rotation swaps its sides). */
async function videoProblem(buffer: Buffer, limits: MediaLimits): Promise<string | undefined> {
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
    if (!info.video) return 'video must be an MP4 or MOV file with a video stream';
    const { fps, rotation } = info.video;
    const turned = Math.abs(rotation) % 180 === 90;
    const width = turned ? info.video.height : info.video.width;
    const height = turned ? info.video.width : info.video.height;
    return videoLimitBroken({ format: info.format, bytes: buffer.length, seconds: info.durationSeconds, width, height, fps }, limits);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
