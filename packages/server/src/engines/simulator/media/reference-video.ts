// Input videos of omni-video (`video_list`): downloaded into the render's work folder for ffmpeg, probed, and made
// into what the output shows of them: the edited video itself ('base') or its first frame as a thumbnail ('feature').

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REFERENCE_VIDEO_LIMITS, type ReferenceVideo } from '@kiln/contract';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { fetchLimited } from './load-image.ts';
import { probeMedia } from './probe.ts';
import { runProcess } from './run-process.ts';

export type VideoFetcher = (url: string) => Promise<Buffer>;

/** The largest input video Kling documents (omni-video's reference video, the contract's limits). */
export const MAX_VIDEO_BYTES = REFERENCE_VIDEO_LIMITS.maxBytes;

export interface LoadedVideo {
  file: string;
  /** As shown (rotation applied). */
  width: number;
  height: number;
  seconds: number;
  hasAudio: boolean;
}

// Named as in the omni-video request, so a failure reads well as the task's task_status_msg.
const FIELD = 'video_list[0].video_url';

export async function loadReferenceVideo(
  ref: ReferenceVideo,
  dir: string,
  fetcher: VideoFetcher = (url) => fetchLimited(url, MAX_VIDEO_BYTES),
  signal?: AbortSignal,
): Promise<LoadedVideo> {
  let buffer: Buffer;
  try {
    buffer = await fetcher(ref.url);
  } catch (err) {
    throw new Error(`${FIELD}: could not download video (${(err as Error).message})`);
  }
  const file = join(dir, 'reference-video');
  await writeFile(file, buffer);
  const media = await probeMedia(file, signal).catch(() => undefined);
  const v = media?.video;
  if (!media || !v || !v.width || !v.height) throw new Error(`${FIELD}: could not decode video`);
  const turned = Math.abs(v.rotation) % 180 === 90;
  return {
    file,
    width: turned ? v.height : v.width,
    height: turned ? v.width : v.height,
    seconds: media.durationSeconds,
    hasAudio: media.audio !== undefined,
  };
}

/**
 * The length of an edited video: the input's, rounded to whole seconds, as Kling bills it ("the input duration
 * rounded to an integer"), so the result's `duration` is a whole number like every other Kling video.
 */
export function editedSeconds(input: LoadedVideo): number {
  return Math.max(1, Math.round(input.seconds));
}

/**
 * Filters that turn the input video into the output's frames: its rate, covered and centre-cropped to the output
 * size, the last frame held when rounding made the output longer than the input.
 */
export function baseVideoFilters(width: number, height: number, fps: number): string {
  return [
    `fps=${fps}`,
    // Bilinear: the simulator's output is a stand-in, and bicubic costs ~30% more per frame at 1080p.
    `scale=${width}:${height}:force_original_aspect_ratio=increase:flags=bilinear`,
    `crop=${width}:${height}`,
    'setsar=1',
    'format=yuv420p',
    'tpad=stop=-1:stop_mode=clone',
  ].join(',');
}

/** The first frame as a PNG, for the thumbnail row of a video generated with a feature reference. */
export async function firstFramePng(video: LoadedVideo, signal?: AbortSignal): Promise<Buffer> {
  const { stdout } = await runProcess(
    ffmpegPath(),
    ['-nostdin', '-v', 'error', '-i', video.file, '-frames:v', '1', '-vf', 'scale=480:-2', '-f', 'image2pipe', '-c:v', 'png', '-'],
    { captureStdout: true, signal },
  );
  if (!stdout.length) throw new Error(`${FIELD}: could not decode video`);
  return stdout;
}
