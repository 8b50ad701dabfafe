// A voice's trial clip (`trial_url`): the voice introducing itself in its timbre, as an MP3. The clip depends only on
// the voice (id, name, timbre) and the length, so a custom voice sounds the same in its own task and wherever an
// element binds it.

import { renderSpeech, type VoiceTimbre } from './render-audio.ts';

export interface TrialVoice {
  id: string;
  name: string;
  timbre: VoiceTimbre;
  /** A voice that speaks Chinese only introduces itself in Chinese. */
  zh?: boolean;
}

/** Renders `<dir>/<base>.mp3`, `seconds` long; returns the file name. */
export async function renderVoiceTrial(voice: TrialVoice, seconds: number, dir: string, base: string): Promise<string> {
  // The preset library's trial sentence (voice-library.ts), so custom and preset trials read alike.
  const text = voice.zh ? `你好，我是${voice.name}。这是我朗读文字时的声音。` : `Hello, I am ${voice.name}. This is how I sound when I read your text aloud.`;
  await renderSpeech({ text, seconds, voice: voice.timbre, seed: voice.id }, dir, base, ['mp3']);
  return `${base}.mp3`;
}
