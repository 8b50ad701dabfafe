// Speech-like audio of an exact length (TTS answers, preset voices' trial clips): one voiced burst per syllable at
// the voice's pitch, pauses between words, synthesised here sample by sample (deterministic: the same text and voice
// sound the same), written as WAV and encoded to MP3 by ffmpeg.

import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { hashText } from './palette.ts';
import { runProcess } from './run-process.ts';

export const SPEECH_SAMPLE_RATE = 48_000;
/** Samples in one MPEG-1 layer III frame, and what LAME adds before the first one (encoder delay + decoder delay). */
const MP3_FRAME = 1152;
const MP3_LEAD = 1105;

export interface VoiceTimbre {
  /** Mean fundamental frequency: ~110 Hz a man, ~210 Hz a woman, ~290 Hz a child. */
  pitchHz: number;
  /** 0 (dark) … 1 (bright): how strong the upper harmonics are. */
  brightness: number;
}

export interface SpeechSpec {
  text: string;
  seconds: number;
  voice: VoiceTimbre;
  /** Mixed into the randomness, so two voices reading one text differ beyond pitch. */
  seed?: string;
}

export type AudioFormat = 'mp3' | 'wav';

/**
 * Renders `<dir>/<name>.mp3` and/or `.wav`. The WAV holds exactly `seconds`; an MP3 can only end on a frame boundary
 * (24 ms here), so it is cut to the whole number of frames nearest `seconds`: ffprobe reads it within 12 ms of it.
 */
export async function renderSpeech(spec: SpeechSpec, dir: string, name: string, formats: readonly AudioFormat[]): Promise<Record<AudioFormat, string>> {
  const samples = synthesize(spec);
  const wav = join(dir, `${name}.wav`);
  const files = {} as Record<AudioFormat, string>;
  await writeFile(wav, wavFile(samples, SPEECH_SAMPLE_RATE));
  if (formats.includes('wav')) files.wav = wav;
  try {
    if (formats.includes('mp3')) {
      const mp3 = join(dir, `${name}.mp3`);
      await runProcess(ffmpegPath(), [
        '-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', wav,
        '-af', `atrim=end_sample=${mp3Samples(spec.seconds)}`,
        '-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3', mp3,
      ]);
      files.mp3 = mp3;
    }
  } finally {
    if (!formats.includes('wav')) await rm(wav, { force: true });
  }
  return files;
}

/** Input samples that make LAME write exactly the frames nearest `seconds` (half a frame short of one more). */
export function mp3Samples(seconds: number): number {
  const frames = Math.max(2, Math.round((seconds * SPEECH_SAMPLE_RATE) / MP3_FRAME));
  return frames * MP3_FRAME - MP3_LEAD - MP3_FRAME / 2;
}

/** 16-bit mono PCM of the speech, exactly round(seconds × rate) samples long. */
export function synthesize(spec: SpeechSpec): Int16Array {
  const rate = SPEECH_SAMPLE_RATE;
  const out = new Int16Array(Math.max(1, Math.round(spec.seconds * rate)));
  const random = mulberry32(hashText(`${spec.seed ?? ''}\u0000${spec.text}`));
  const units = timeline(spec.text);
  const total = units.reduce((sum, u) => sum + u.weight, 0);
  // A little silence at both ends, as recorded speech has.
  const edge = Math.min(0.15, spec.seconds * 0.05);
  const scale = (spec.seconds - 2 * edge) / total;
  let at = edge;
  for (const unit of units) {
    const length = unit.weight * scale;
    if (unit.voiced) {
      // Pitch falls a little over the sentence and varies per syllable; the vowel picks which harmonic rings.
      const declination = 1.08 - 0.16 * (at / spec.seconds);
      const f0 = spec.voice.pitchHz * declination * (0.88 + random() * 0.24);
      const formant = 2 + Math.floor(random() * 4);
      voiceSyllable(out, rate, at, length, f0, formant, spec.voice.brightness, random);
    }
    at += length;
  }
  return out;
}

interface Unit {
  voiced: boolean;
  weight: number;
}

/** Syllables (latin words: one per ~3 letters; CJK: one per character) and pauses, weighted by length. */
function timeline(text: string): Unit[] {
  const units: Unit[] = [];
  const tokens = text.match(/[\u3400-\u9fff\uf900-\ufaff]|[\p{L}\p{N}']+|[.,;:!?。，、；：！？]/gu) ?? [];
  for (const token of tokens) {
    if (/^[.,;:!?。，、；：！？]$/.test(token)) {
      units.push({ voiced: false, weight: 0.8 });
      continue;
    }
    const syllables = /^[\u3400-\u9fff\uf900-\ufaff]$/.test(token) ? 1 : Math.max(1, Math.round(token.length / 3));
    for (let i = 0; i < syllables; i++) units.push({ voiced: true, weight: 1 }, { voiced: false, weight: 0.12 });
    units.push({ voiced: false, weight: 0.3 });
  }
  // Text with nothing to say (only symbols) still gets a short hum rather than silence.
  if (!units.some((u) => u.voiced)) units.push({ voiced: true, weight: 1 });
  return units;
}

function voiceSyllable(
  out: Int16Array, rate: number, start: number, length: number, f0: number, formant: number, brightness: number,
  random: () => number,
): void {
  const first = Math.floor(start * rate);
  const count = Math.min(out.length - first, Math.floor(length * rate));
  const harmonics = [1, 2, 3, 4, 5, 6].map((h) => (h === formant ? 1.4 : 1) / h ** (1.3 - brightness * 0.7));
  const norm = harmonics.reduce((a, b) => a + b, 0);
  const consonant = Math.floor(count * 0.12);
  let phase = 0;
  for (let i = 0; i < count; i++) {
    const p = i / count;
    // Raised-cosine attack and release; a slight rise-fall of pitch within the syllable.
    const envelope = p < 0.2 ? 0.5 - 0.5 * Math.cos((Math.PI * p) / 0.2) : p > 0.7 ? 0.5 + 0.5 * Math.cos((Math.PI * (p - 0.7)) / 0.3) : 1;
    phase += (2 * Math.PI * f0 * (1 + 0.04 * Math.sin(Math.PI * p))) / rate;
    let value = 0;
    for (let h = 0; h < harmonics.length; h++) value += harmonics[h] * Math.sin((h + 1) * phase);
    value = (value / norm) * envelope * 0.55;
    // A breath of noise at the onset stands in for the consonant.
    if (i < consonant) value += (random() * 2 - 1) * 0.08 * (1 - i / consonant);
    out[first + i] = Math.max(-32767, Math.min(32767, Math.round(value * 32767)));
  }
}

/** A canonical 44-byte-header PCM WAV. */
export function wavFile(samples: Int16Array, rate: number): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A small seeded PRNG: the same text gives the same sound on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
