// Video extension: the parent video followed by a new stretch that opens on the parent's last frame, as one video at
// the parent's size and frame rate (the extension inherits everything from it). Silence extends the parent's sound.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VideoPlan } from '@kiln/contract';
import { CONTAINER_ARGS, VIDEO_CODEC_ARGS } from './encode-settings.ts';
import { ffmpegPath } from './ffmpeg-paths.ts';
import type { ImageFetcher } from './load-image.ts';
import { probeMedia } from './probe.ts';
import { renderVideo } from './render-video.ts';
import { runProcess } from './run-process.ts';
import { makeWatermark } from './watermark.ts';

export interface ExtendedVideo {
  file: string;
  watermarkFile?: string;
  seconds: number;
}

const ffmpeg = (args: string[]) => runProcess(ffmpegPath(), ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);

/** `piece` says what the new stretch shows and how long it is; its size and frame rate come from the parent. */
export async function renderExtension(piece: VideoPlan, parentFile: string, outDir: string, fetchImage?: ImageFetcher): Promise<ExtendedVideo> {
  const parent = await probeMedia(parentFile);
  if (!parent.video) throw new Error('the parent has no video stream');
  const { width, height, fps } = parent.video;
  const lastFrame = join(outDir, 'parent-last.png');
  const pieceFile = join(outDir, 'extension.mp4');
  try {
    await ffmpeg(['-sseof', '-0.2', '-i', parentFile, '-frames:v', '1', '-update', '1', lastFrame]);
    const first = (await readFile(lastFrame)).toString('base64');
    await renderVideo({ ...piece, firstFrame: first, fps: Math.round(fps) || piece.fps, audio: false, watermark: false }, pieceFile, { fetchImage });
    const file = join(outDir, 'video.mp4');
    const fit = `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${fps},format=yuv420p`;
    const args = ['-i', parentFile, '-i', pieceFile];
    let graph = `[0:v]setsar=1,fps=${fps},format=yuv420p[p];[1:v]${fit}[e];`;
    if (parent.audio) {
      args.push('-f', 'lavfi', '-t', String(piece.seconds), '-i', 'anullsrc=r=48000:cl=stereo');
      const norm = 'aformat=sample_rates=48000:channel_layouts=stereo';
      graph += `[0:a]${norm}[pa];[2:a]${norm}[ea];[p][pa][e][ea]concat=n=2:v=1:a=1[v][a]`;
    } else {
      graph += '[p][e]concat=n=2:v=1:a=0[v]';
    }
    const maps = parent.audio ? ['-map', '[v]', '-map', '[a]', '-c:a', 'aac', '-b:a', '128k'] : ['-map', '[v]'];
    await ffmpeg([...args, '-filter_complex', graph, ...maps, ...VIDEO_CODEC_ARGS, ...CONTAINER_ARGS, file]);
    const seconds = Math.round((await probeMedia(file)).durationSeconds * 100) / 100;
    if (!piece.watermark) return { file, seconds };
    const badge = await makeWatermark(width, height);
    const badgeFile = join(outDir, 'badge.png');
    await writeFile(badgeFile, badge.png);
    const watermarkFile = join(outDir, 'video-watermark.mp4');
    await ffmpeg(['-i', file, '-i', badgeFile, '-filter_complex', `[0:v][1:v]overlay=${badge.left}:${badge.top}[v]`, '-map', '[v]', '-map', '0:a?', '-c:a', 'copy',
      ...VIDEO_CODEC_ARGS, ...CONTAINER_ARGS, watermarkFile]);
    await rm(badgeFile, { force: true });
    return { file, watermarkFile, seconds };
  } finally {
    await Promise.all([rm(lastFrame, { force: true }), rm(pieceFile, { force: true })]);
  }
}
