// Writes a video made by editing a session's video (advanced-lip-sync, multi-elements): a filter graph's picture and
// sound encoded at the session video's length, and, when asked, the watermarked copy from the same decode (the badge
// is laid on a split of the finished picture), so one ffmpeg run makes both files.

import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTAINER_ARGS, RENDER_NICE, VIDEO_CODEC_ARGS } from './encode-settings.ts';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { probeMedia } from './probe.ts';
import { runProcess } from './run-process.ts';
import { makeWatermark } from './watermark.ts';

export interface EditedVideo {
  file: string;
  watermarkFile?: string;
  /** As probed, to the hundredth. */
  seconds: number;
}

export interface EditJob {
  /** ffmpeg input arguments, each ending in `-i <file>`; inputs are numbered in this order. */
  inputs: string[][];
  /** A filter graph whose outputs are the labels `video` and (when given) `audio`. */
  graph: string;
  video: string;
  audio?: string;
  width: number;
  height: number;
  seconds: number;
  outDir: string;
  watermark: boolean;
}

const AUDIO_ARGS = ['-c:a', 'aac', '-b:a', '128k'];

export async function encodeEdit(job: EditJob): Promise<EditedVideo> {
  const file = join(job.outDir, 'video.mp4');
  const watermarkFile = job.watermark ? join(job.outDir, 'video-watermark.mp4') : undefined;
  const inputs = job.inputs.flat();
  let graph = job.graph;
  let main = job.video;
  let mainAudio = job.audio;
  const outputs: string[] = [];
  const badgeFile = join(job.outDir, 'edit-badge.png');
  const encode = (video: string, audio: string | undefined, out: string) => [
    '-map', `[${video}]`, ...(audio ? ['-map', `[${audio}]`, ...AUDIO_ARGS] : ['-an']),
    '-t', job.seconds.toFixed(3), ...VIDEO_CODEC_ARGS, ...CONTAINER_ARGS, out,
  ];
  try {
    if (watermarkFile) {
      const badge = await makeWatermark(job.width, job.height);
      await writeFile(badgeFile, badge.png);
      inputs.push('-i', badgeFile);
      graph += `;[${main}]split=2[edit_main][edit_marked];[edit_marked][${job.inputs.length}:v]overlay=${badge.left}:${badge.top}[edit_badged]`;
      main = 'edit_main';
      if (mainAudio) {
        graph += `;[${mainAudio}]asplit=2[edit_amain][edit_amarked]`;
        mainAudio = 'edit_amain';
        outputs.push(...encode('edit_badged', 'edit_amarked', watermarkFile));
      } else {
        outputs.push(...encode('edit_badged', undefined, watermarkFile));
      }
    }
    await runProcess(ffmpegPath(), [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...inputs, '-filter_complex', graph,
      ...encode(main, mainAudio, file), ...outputs,
    ], { nice: RENDER_NICE });
  } finally {
    if (watermarkFile) await rm(badgeFile, { force: true });
  }
  const seconds = Math.round((await probeMedia(file)).durationSeconds * 100) / 100;
  return { file, watermarkFile, seconds };
}
