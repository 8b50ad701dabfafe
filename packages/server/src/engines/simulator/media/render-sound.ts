// Renders an AudioPlan of a given length (text-to-audio): the prompt "voiced" by the speech synthesiser at a pitch
// drawn from the prompt, so each prompt sounds distinct and the same prompt the same; WAV of exactly `seconds`, MP3
// within half a frame (12 ms) of it.

import { mkdir } from 'node:fs/promises';
import type { AudioPlan } from '@kiln/contract';
import { hashText } from './palette.ts';
import { renderSpeech, type AudioFormat } from './render-audio.ts';

export interface RenderedSound {
  files: Partial<Record<AudioFormat, string>>;
  seconds: number;
}

export async function renderSound(plan: AudioPlan & { seconds: number }, outDir: string, name = 'audio'): Promise<RenderedSound> {
  await mkdir(outDir, { recursive: true });
  const hash = hashText(plan.prompt);
  const voice = { pitchHz: 90 + (hash % 300), brightness: ((hash >>> 9) % 100) / 100 };
  const files = await renderSpeech({ text: plan.prompt, seconds: plan.seconds, voice, seed: 'sound' }, outDir, name, plan.formats);
  return { files, seconds: plan.seconds };
}
