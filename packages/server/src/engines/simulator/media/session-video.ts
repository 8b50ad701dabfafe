// The video an editing session works on (multi-elements init-selection, identify-face): made into a plain H.264 MP4
// (Kling answers init-selection with this "normalized_video"), probed for its frame facts, and cut into still crops.

import { ffmpegPath } from './ffmpeg-paths.ts';
import { probeMedia, type ProbedMedia } from './probe.ts';
import { RENDER_NICE, VIDEO_CODEC_ARGS } from './encode-settings.ts';
import { runProcess } from './run-process.ts';

export interface SessionVideo {
  /** As shown (rotation applied). */
  width: number;
  height: number;
  fps: number;
  seconds: number;
  frames: number;
  hasAudio: boolean;
}

/** Reads a video's facts, or undefined when it is not a video ffprobe can read. */
export async function probeVideo(file: string): Promise<(SessionVideo & { format: string; codec: string; rotation: number }) | undefined> {
  let media: ProbedMedia;
  try {
    media = await probeMedia(file);
  } catch {
    return undefined;
  }
  const v = media.video;
  if (!v || !v.width || !v.height || !(media.durationSeconds > 0)) return undefined;
  const turned = Math.abs(v.rotation) % 180 === 90;
  const fps = v.fps > 0 ? v.fps : 24;
  return {
    width: turned ? v.height : v.width,
    height: turned ? v.width : v.height,
    fps,
    seconds: media.durationSeconds,
    frames: v.frames ?? Math.round(media.durationSeconds * fps),
    hasAudio: media.audio !== undefined,
    format: media.format,
    codec: v.codec,
    rotation: v.rotation,
  };
}

/**
 * Writes `output` as an MP4 that any player and ffmpeg filter reads alike: an H.264 MP4 without rotation is copied
 * as is (kiln's own videos always are); anything else is re-encoded upright, at even dimensions, keeping its rate.
 */
export async function normalizeVideo(input: string, output: string): Promise<SessionVideo> {
  const facts = await probeVideo(input);
  if (!facts) throw new Error('not a readable video');
  const copy = facts.codec === 'h264' && facts.format.includes('mp4') && facts.rotation === 0;
  const args = copy
    ? ['-c', 'copy']
    : ['-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2,setsar=1', ...VIDEO_CODEC_ARGS, '-c:a', 'aac', '-b:a', '128k'];
  await runProcess(
    ffmpegPath(),
    ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-map', '0:v:0', '-map', '0:a:0?', ...args,
      '-movflags', '+faststart', '-f', 'mp4', output],
    { nice: RENDER_NICE },
  );
  const result = await probeVideo(output);
  if (!result) throw new Error('normalized video is not readable');
  return result;
}

export interface Crop {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The frame at `seconds` (clamped into the video) as a PNG, cropped when asked. */
export async function framePng(file: string, seconds: number, crop?: Crop): Promise<Buffer> {
  const filters = crop ? ['-vf', `crop=${crop.width}:${crop.height}:${crop.x}:${crop.y}`] : [];
  const { stdout } = await runProcess(
    ffmpegPath(),
    ['-nostdin', '-v', 'error', '-ss', Math.max(0, seconds).toFixed(3), '-i', file, '-frames:v', '1', ...filters,
      '-f', 'image2pipe', '-c:v', 'png', '-'],
    { captureStdout: true },
  );
  if (stdout.length) return stdout;
  // Seeking past the last frame yields nothing: take the first frame instead.
  if (seconds > 0) return framePng(file, 0, crop);
  throw new Error('the video has no frame to show');
}
