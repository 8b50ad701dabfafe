// The simulator's preset voices: a handful of Kling's Voice Guide ids (with the languages the guide lists them under),
// each with a timbre for render-audio and a trial clip rendered once into the data directory. Custom voices get a
// timbre from their id.

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { speechSeconds } from '@kiln/contract';
import { renderSpeech, type VoiceTimbre } from '../engines/simulator/media/render-audio.ts';
import { hashText } from '../engines/simulator/media/palette.ts';
import type { Storage } from '../storage/storage.ts';
import { mediaDir, type ActionDeps } from './deps.ts';

export interface PresetVoice {
  voice_id: string;
  voice_name: string;
  /** The languages it speaks; TTS's voice_language must be one of them. */
  languages: readonly ('zh' | 'en')[];
  timbre: VoiceTimbre;
}

export const PRESET_VOICES: readonly PresetVoice[] = [
  { voice_id: 'oversea_male1', voice_name: 'Anchor', languages: ['en'], timbre: { pitchHz: 112, brightness: 0.45 } },
  { voice_id: 'commercial_lady_en_f-v1', voice_name: 'Commercial Lady', languages: ['en'], timbre: { pitchHz: 215, brightness: 0.6 } },
  { voice_id: 'uk_man2', voice_name: 'Crag', languages: ['en'], timbre: { pitchHz: 98, brightness: 0.3 } },
  { voice_id: 'genshin_vindi2', voice_name: 'Sunny', languages: ['zh', 'en'], timbre: { pitchHz: 165, brightness: 0.55 } },
  { voice_id: 'zhinen_xuesheng', voice_name: 'Sage', languages: ['zh', 'en'], timbre: { pitchHz: 150, brightness: 0.5 } },
  { voice_id: 'ai_shatang', voice_name: 'Blossom', languages: ['zh', 'en'], timbre: { pitchHz: 235, brightness: 0.65 } },
  { voice_id: 'genshin_klee2', voice_name: 'Peppy', languages: ['zh', 'en'], timbre: { pitchHz: 290, brightness: 0.7 } },
  { voice_id: 'chengshu_jiejie', voice_name: 'Grace', languages: ['zh', 'en'], timbre: { pitchHz: 195, brightness: 0.4 } },
  { voice_id: 'tiexin_nanyou', voice_name: '贴心男友', languages: ['zh'], timbre: { pitchHz: 120, brightness: 0.4 } },
];

export const presetVoice = (id: string) => PRESET_VOICES.find((v) => v.voice_id === id);

/** A custom voice's sound: somewhere between a low and a high voice, fixed by its id. */
export function customTimbre(voiceId: string): VoiceTimbre {
  const h = hashText(voiceId);
  return { pitchHz: 100 + (h % 160), brightness: 0.3 + ((h >>> 8) % 40) / 100 };
}

/** The media folder of the preset libraries (voices' trials, elements' images): task ids are far longer. */
export const PRESET_FOLDER = '1';
/** When the presets were "made", for their created_at/updated_at. */
export const PRESETS_MADE_AT = Date.UTC(2025, 5, 1);

/**
 * Per storage (a process may serve several, tests do): the renders under way, and the preset objects already seen
 * there — presets are never removed, so a listing asks storage about each once.
 */
const presetsOf = new WeakMap<Storage, { pending: Map<string, Promise<void>>; known: Set<string> }>();

/** The voice's trial clip (`voice-<id>.mp3` in the preset folder), rendered on first use. */
export async function presetTrialFile(deps: ActionDeps, voice: PresetVoice): Promise<string> {
  const name = `voice-${voice.voice_id}.mp3`;
  await renderOnce(deps, name, async (partialDir, partialName) => {
    const zh = voice.languages[0] === 'zh';
    const text = zh ? `你好，我是${voice.voice_name}。这是我朗读文字时的声音。` : `Hello, I am ${voice.voice_name}. This is how I sound when I read your text aloud.`;
    await renderSpeech({ text, seconds: speechSeconds(text, 1), voice: voice.timbre, seed: voice.voice_id }, partialDir, partialName, ['mp3']);
    return `${partialName}.mp3`;
  });
  return name;
}

/**
 * Makes the preset folder's `name` once: concurrent calls share one render, an object already in storage (from an
 * earlier run, or another process) is kept. The render is made in the local working folder under a temporary name,
 * then put into storage, so no reader ever sees half a file.
 */
export async function renderOnce(deps: ActionDeps, name: string, render: (dir: string, partialName: string) => Promise<string>): Promise<void> {
  const key = `${PRESET_FOLDER}/${name}`;
  let presets = presetsOf.get(deps.storage);
  if (!presets) presetsOf.set(deps.storage, presets = { pending: new Map(), known: new Set() });
  const { pending, known } = presets;
  if (known.has(key)) return;
  if (await deps.storage.exists(key)) {
    known.add(key);
    return;
  }
  let job = pending.get(key);
  if (!job) {
    job = (async () => {
      const dir = mediaDir(deps, PRESET_FOLDER);
      const made = path.join(dir, await render(dir, `.partial-${process.pid}-${Date.now()}-${path.basename(name, path.extname(name))}`));
      try {
        await deps.storage.put(key, { file: made });
      } finally {
        await rm(made, { force: true });
      }
      known.add(key);
    })().finally(() => pending.delete(key));
    pending.set(key, job);
  }
  await job;
}
