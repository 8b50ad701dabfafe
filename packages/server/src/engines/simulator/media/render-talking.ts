// Avatar: a talking-portrait video as long as its sound. The picture is rendered like an image-to-video from the
// portrait, for exactly the sound's length, then the sound is laid on it (the picture is copied, not re-encoded).

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TalkingVideoPlan, VideoPlan } from '@kiln/contract';
import { ffmpegPath } from './ffmpeg-paths.ts';
import type { ImageFetcher } from './load-image.ts';
import { renderVideo } from './render-video.ts';
import { runProcess } from './run-process.ts';

export interface TalkingVideo {
  file: string;
  watermarkFile?: string;
  seconds: number;
}

export async function renderTalking(
  plan: TalkingVideoPlan, soundFile: string, seconds: number, outDir: string, fetchImage?: ImageFetcher,
): Promise<TalkingVideo> {
  const picture: VideoPlan = {
    kind: 'video',
    resolution: plan.resolution ?? 'std',
    aspectRatio: null,
    seconds,
    fps: plan.fps ?? 24,
    audio: false,
    prompt: plan.prompt.trim() || '(the portrait speaks)',
    shots: [],
    firstFrame: plan.image,
    references: [],
    watermark: plan.watermark,
  };
  const silent = join(outDir, 'picture.mp4');
  const silentMarked = plan.watermark ? join(outDir, 'picture-watermark.mp4') : undefined;
  const out = await renderVideo(picture, silent, { fetchImage, watermarkFile: silentMarked });
  const file = join(outDir, 'video.mp4');
  const watermarkFile = silentMarked && join(outDir, 'video-watermark.mp4');
  try {
    await Promise.all([addSound(silent, soundFile, file), silentMarked && watermarkFile && addSound(silentMarked, soundFile, watermarkFile)]);
  } finally {
    await Promise.all([rm(silent, { force: true }), silentMarked && rm(silentMarked, { force: true })]);
  }
  return { file, watermarkFile, seconds: out.seconds };
}

function addSound(video: string, sound: string, out: string) {
  return runProcess(ffmpegPath(), [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', video, '-i', sound,
    '-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '128k', '-shortest', '-movflags', '+faststart', out,
  ]);
}
