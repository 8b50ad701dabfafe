// The video a session is opened on (init-selection, identify-face): `video_id`, one of the caller's own Kling
// videos of the last 30 days, or `video_url`, downloaded with the server's guarded fetcher and held to the
// documented upload limits. Lengths are checked against the windows the contract's references give.

import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { given, KlingError, type InputReference, type SecondsRange } from '@kiln/contract';
import { normalizeVideo, probeVideo, type SessionVideo } from '../engines/simulator/media/session-video.ts';
import { findOutput } from '../store/outputs.ts';
import type { Tenant } from '../store/tenants.ts';
import { copyToLocal, type ActionDeps } from './deps.ts';

export interface VideoSourceRequest {
  video_id?: string;
  video_url?: string;
}

/** Limits an uploaded video (video_url) must meet; Kling videos (video_id) met them when they were made. */
export interface UploadLimits {
  maxBytes: number;
  minEdge: number;
  maxEdge: number;
  /** Allowed frame rates, when the endpoint restricts them. */
  fps?: readonly number[];
}

export type VideoSource = { video_id: string } | { video_url: string };

export interface LoadedSessionVideo {
  source: VideoSource;
  /** The normalized video, `video.mp4` in `dir`. */
  file: string;
  video: SessionVideo;
}

// Containers round a length up a frame or two (a 5 s video often probes as 5.02 s): that much over a bound is let in.
const LENGTH_SLACK_S = 0.05;

/** Brings the request's video into `dir` as `video.mp4`, or throws the Kling error that names the field. */
export async function loadSessionVideo(
  deps: ActionDeps, tenant: Tenant, req: VideoSourceRequest, references: readonly InputReference[], dir: string, limits: UploadLimits,
): Promise<LoadedSessionVideo> {
  const output = path.join(dir, 'video.mp4');
  let source: VideoSource;
  let field: string;
  // The source as it came (another task's output, or the download), beside the session's files until normalized.
  const input = path.join(dir, 'source');
  let video: SessionVideo;
  try {
    if (given(req.video_id)) {
      field = 'video_id';
      source = { video_id: req.video_id };
      const found = await findOutput(deps.db, tenant.id, 'video', req.video_id);
      // Read from storage, wherever the task that made it stored it.
      if (!found || !(await copyToLocal(deps, `${found.task_id}/${found.file}`, input))) {
        throw new KlingError(1203, `video_id: no video '${req.video_id}' among your videos of the last 30 days`);
      }
    } else {
      field = 'video_url';
      source = { video_url: req.video_url! };
      await writeFile(input, await download(deps, req.video_url!, limits.maxBytes));
      await checkUpload(input, limits);
    }
    try {
      video = await normalizeVideo(input, output);
    } catch {
      throw new KlingError(1201, `${field}: not a readable video (mp4 or mov expected)`);
    }
  } finally {
    await rm(input, { force: true });
  }
  const windows = references.find((r) => r.field === field)?.seconds;
  if (windows) checkLength(field, video.seconds, windows);
  return { source, file: output, video };
}

async function download(deps: ActionDeps, url: string, maxBytes: number): Promise<Buffer> {
  try {
    return await deps.fetchInput(url, maxBytes);
  } catch (error) {
    throw new KlingError(1201, `video_url: could not download video (${(error as Error).message})`);
  }
}

async function checkUpload(file: string, limits: UploadLimits): Promise<void> {
  const facts = await probeVideo(file);
  // ffprobe names MP4 and MOV (QuickTime) alike: "mov,mp4,m4a,3gp,3g2,mj2".
  if (!facts || !facts.format.includes('mp4')) throw new KlingError(1201, 'video_url: not a readable video (mp4 or mov expected)');
  const { width, height, fps } = facts;
  if (Math.min(width, height) < limits.minEdge || Math.max(width, height) > limits.maxEdge) {
    throw new KlingError(1201,
      `video_url: width and height must be between ${limits.minEdge} and ${limits.maxEdge} px (got ${width}x${height})`);
  }
  // NTSC rates (29.97, 59.94, 23.976) count as 30, 60 and 24.
  if (limits.fps && !limits.fps.some((f) => Math.abs(f - fps) < 0.1)) {
    throw new KlingError(1201, `video_url: frame rate must be ${limits.fps.join(', ')} fps (got ${round(fps, 2)} fps)`);
  }
}

/** Throws 1201 when `seconds` lies in none of the windows (a single range or several). */
export function checkLength(field: string, seconds: number, windows: SecondsRange | readonly SecondsRange[], media: 'video' | 'audio' = 'video'): void {
  const ranges = (typeof windows[0] === 'number' ? [windows] : windows) as readonly SecondsRange[];
  if (ranges.some(([min, max]) => seconds >= min - LENGTH_SLACK_S && seconds <= max + LENGTH_SLACK_S)) return;
  const allowed = ranges.map(([min, max]) => (min <= 0 ? `at most ${max} s` : `${min}–${max} s`)).join(' or ');
  throw new KlingError(1201, `${field}: the ${media} lasts ${round(seconds, 2)} s; it must last ${allowed}`);
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
