// Reads what a media file really contains (container, duration, streams) from ffprobe's JSON output.

import { ffprobePath } from './ffmpeg-paths.ts';
import { runProcess } from './run-process.ts';

export interface ProbedVideo {
  codec: string;
  width: number;
  height: number;
  fps: number;
  /** Frame count, when the container records it (MP4 does). */
  frames?: number;
  /** Degrees a player turns the picture (phone videos): at ±90 the shown width and height are swapped. */
  rotation: number;
}

export interface ProbedAudio {
  codec: string;
  sampleRate: number;
  channels: number;
}

export interface ProbedMedia {
  /** ffprobe's format name, e.g. 'mov,mp4,m4a,3gp,3g2,mj2' or 'png_pipe'. */
  format: string;
  durationSeconds: number;
  video?: ProbedVideo;
  audio?: ProbedAudio;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  sample_rate?: string;
  channels?: number;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: Array<{ rotation?: number }>;
}

interface FfprobeOutput {
  format?: { format_name?: string; duration?: string };
  streams?: FfprobeStream[];
}

export async function probeMedia(file: string, signal?: AbortSignal): Promise<ProbedMedia> {
  const { stdout } = await runProcess(
    ffprobePath(),
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    { captureStdout: true, signal },
  );
  const out = JSON.parse(stdout.toString('utf8')) as FfprobeOutput;
  const streams = out.streams ?? [];
  // Cover art in an MP4 shows up as a one-frame video stream; it is not the video.
  const v = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const a = streams.find((s) => s.codec_type === 'audio');
  const frames = Number(v?.nb_frames);
  return {
    format: out.format?.format_name ?? 'unknown',
    durationSeconds: Number(out.format?.duration ?? 0) || 0,
    video: v && {
      codec: v.codec_name ?? 'unknown',
      width: v.width ?? 0,
      height: v.height ?? 0,
      fps: rate(v.avg_frame_rate) || rate(v.r_frame_rate),
      ...(Number.isFinite(frames) && frames > 0 ? { frames } : {}),
      // Older ffmpeg reports a rotate tag, newer ones a display matrix; either way ffmpeg turns the frames on decode.
      rotation: Number(v.tags?.rotate ?? v.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0) || 0,
    },
    audio: a && {
      codec: a.codec_name ?? 'unknown',
      sampleRate: Number(a.sample_rate ?? 0),
      channels: a.channels ?? 0,
    },
  };
}

/** '24/1' → 24, '30000/1001' → 29.97; '0/0' (unknown) → 0. */
function rate(fraction: string | undefined): number {
  if (!fraction) return 0;
  const [num, den = '1'] = fraction.split('/');
  const value = Number(num) / Number(den);
  return Number.isFinite(value) ? value : 0;
}
