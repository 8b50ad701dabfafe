// Video-to-audio: a soundtrack as long as the input video (mp3 and wav, from the sound-effect and music prompts), and
// the input video with that soundtrack in place of any sound it had (the picture is copied, not re-encoded).

import { join } from 'node:path';
import type { AudioPlan } from '@kiln/contract';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { renderSound } from './render-sound.ts';
import { runProcess } from './run-process.ts';

export interface DubbedVideo {
  video: string;
  mp3: string;
  wav: string;
  seconds: number;
}

/** `sourceFile` is the probed input video, `seconds` its length. */
export async function renderDub(plan: AudioPlan, sourceFile: string, seconds: number, outDir: string): Promise<DubbedVideo> {
  // Both prompts shape the sound, so different prompts on one video sound different.
  const prompt = [plan.prompt, plan.bgmPrompt, plan.asmr ? 'asmr' : ''].filter(Boolean).join(' · ') || 'ambient sound';
  const sound = await renderSound({ ...plan, prompt, seconds, formats: ['mp3', 'wav'] }, outDir, 'audio');
  const video = join(outDir, 'video.mp4');
  await runProcess(ffmpegPath(), [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', sourceFile, '-i', sound.files.wav!,
    '-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '128k', '-shortest', '-movflags', '+faststart', video,
  ]);
  return { video, mp3: sound.files.mp3!, wav: sound.files.wav!, seconds };
}
