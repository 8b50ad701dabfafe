// Lip-sync: the session's video, whole, at its own size and frame rate, with a sound clip inserted at a point and
// mixed with the video's own sound; while the clip plays, a mouth drawn over the chosen face opens as wide as the clip
// is loud at that moment, so the video visibly speaks the sound. The simulator does not move real lips.

import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { encodeEdit, type EditedVideo } from './edit-output.ts';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { runProcess } from './run-process.ts';
import type { Crop } from './session-video.ts';

export interface LipSyncJob {
  /** The video whose face speaks, and its facts. */
  video: string;
  facts: { width: number; height: number; fps: number; seconds: number; hasAudio: boolean };
  sound: string;
  /** The part of the sound used (ms from its start), where it starts in the video (ms), and the two volumes (0–2). */
  clip: { startMs: number; endMs: number; insertMs: number; volume: number; originalVolume: number };
  /** Where the face is (pixels of the video) and when it is on screen (ms). */
  face: { box: Crop; startMs: number; endMs: number };
  watermark: boolean;
  outDir: string;
}

export interface LipSyncVideo extends EditedVideo {
  /** When the mouth moves, seconds into the video (empty when the clip and the face never meet). */
  speaking: { from: number; to: number };
}

/** The mouth takes a new shape at most 12 times a second: about the rate of syllables, and a short filter graph. */
const STEP_S = 1 / 12;
const LOUDNESS_RATE = 8000;
/** Mouth shapes: closed, then three openings. */
const SHAPES = 4;

export async function renderLipSync(job: LipSyncJob): Promise<LipSyncVideo> {
  const { facts, clip, face } = job;
  const clipS = (clip.endMs - clip.startMs) / 1000;
  const insertS = clip.insertMs / 1000;
  const speaking = {
    from: Math.max(insertS, face.startMs / 1000),
    to: Math.min(insertS + clipS, face.endMs / 1000, facts.seconds),
  };
  const levels = await loudnessLevels(job.sound, clip.startMs / 1000, clipS);
  const runs = shapeRuns(levels, insertS, speaking);
  const mouth = mouthPlace(face.box);
  const shapeFiles = Array.from({ length: SHAPES }, (_, level) => join(job.outDir, `mouth-${level}.png`));
  try {
    await Promise.all(shapeFiles.map(async (f, level) => writeFile(f, await mouthPng(mouth.width, mouth.height, level))));
    // Inputs: 0 the video, 1 the sound, 2… the mouth shapes (one frame each: overlay keeps showing a finished input's
    // last frame, so each is decoded once).
    const inputs = [['-i', job.video], ['-i', job.sound], ...shapeFiles.map((f) => ['-i', f])];
    const video = [`[0:v]setpts=PTS-STARTPTS[m0]`];
    let last = 'm0';
    runs.forEach((spans, level) => {
      if (!spans.length) return;
      const when = spans.map(([a, b]) => `gte(t\\,${a.toFixed(3)})*lt(t\\,${b.toFixed(3)})`).join('+');
      video.push(`[${last}][${level + 2}:v]overlay=${mouth.x}:${mouth.y}:enable='${when}'[m${level + 1}]`);
      last = `m${level + 1}`;
    });
    video.push(`[${last}]null[vout]`);
    const graph = [...video, ...soundGraph(job)].join(';');
    const out = await encodeEdit({
      inputs, graph, video: 'vout', audio: 'aout', width: facts.width, height: facts.height, seconds: facts.seconds,
      outDir: job.outDir, watermark: job.watermark,
    });
    return { ...out, speaking: speaking.to > speaking.from ? speaking : { from: 0, to: 0 } };
  } finally {
    await Promise.all(shapeFiles.map((f) => rm(f, { force: true })));
  }
}

/**
 * The sound: the clip cut from the source, at its volume, delayed to its insertion point, added to the video's own
 * sound at the original volume (a silent video has none to scale: the clip is all there is). Samples are summed, not
 * averaged, so each volume means what it says; the result lasts exactly as long as the video.
 */
function soundGraph(job: LipSyncJob): string[] {
  const { clip, facts } = job;
  const format = 'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo';
  const delay = Math.round(clip.insertMs);
  const end = facts.seconds.toFixed(3);
  const parts = [
    `[1:a]atrim=start=${(clip.startMs / 1000).toFixed(3)}:end=${(clip.endMs / 1000).toFixed(3)},asetpts=PTS-STARTPTS,${format},` +
      `volume=${clip.volume},adelay=${delay}|${delay},apad[clip]`,
  ];
  if (facts.hasAudio) {
    parts.push(`[0:a]${format},volume=${clip.originalVolume},apad[orig]`);
    parts.push(`[orig][clip]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3,atrim=end=${end}[aout]`);
  } else {
    parts.push(`[clip]atrim=end=${end}[aout]`);
  }
  return parts;
}

/** How loud the clip is in each step: 0 (a pause) to 3 (its loudest), relative to its own peak. */
async function loudnessLevels(sound: string, startS: number, seconds: number): Promise<number[]> {
  const { stdout } = await runProcess(ffmpegPath(), [
    '-nostdin', '-v', 'error', '-ss', startS.toFixed(3), '-t', seconds.toFixed(3), '-i', sound,
    '-ac', '1', '-ar', String(LOUDNESS_RATE), '-f', 's16le', '-',
  ], { captureStdout: true });
  const perStep = Math.round(LOUDNESS_RATE * STEP_S);
  const count = Math.floor(stdout.length / 2);
  const rms: number[] = [];
  for (let from = 0; from < count; from += perStep) {
    let sum = 0;
    const to = Math.min(count, from + perStep);
    for (let i = from; i < to; i++) sum += stdout.readInt16LE(i * 2) ** 2;
    rms.push(Math.sqrt(sum / (to - from)));
  }
  const peak = Math.max(0, ...rms);
  // Below about -50 dBFS is silence, whatever the clip's peak.
  return rms.map((r) => (r < 100 || r < peak * 0.12 ? 0 : r < peak * 0.45 ? 1 : r < peak * 0.75 ? 2 : 3));
}

/** Per mouth shape, the [from, to) seconds it is shown: the steps of the clip that fall while the face speaks, merged. */
export function shapeRuns(levels: readonly number[], insertS: number, speaking: { from: number; to: number }): [number, number][][] {
  const runs: [number, number][][] = Array.from({ length: SHAPES }, () => []);
  let previous = -1;
  levels.forEach((level, i) => {
    const from = Math.max(speaking.from, insertS + i * STEP_S);
    const to = Math.min(speaking.to, insertS + (i + 1) * STEP_S);
    if (to <= from) return;
    const spans = runs[level];
    if (level === previous && spans.length) spans[spans.length - 1][1] = to;
    else spans.push([from, to]);
    previous = level;
  });
  return runs;
}

/** The mouth's box: the lower middle of the face box, half its width and three tenths of its height. */
function mouthPlace(box: Crop): Crop {
  const width = Math.max(8, Math.round(box.width * 0.5));
  const height = Math.max(6, Math.round(box.height * 0.3));
  return { width, height, x: box.x + Math.round((box.width - width) / 2), y: box.y + Math.round(box.height * 0.58) };
}

/** A mouth, `level` 0 (closed lips) to 3 (wide open, teeth showing), on a transparent background. */
function mouthPng(width: number, height: number, level: number): Promise<Buffer> {
  const cx = width / 2;
  const cy = height / 2;
  const rx = width * 0.45 * (1 - 0.06 * level);
  const open = [0.05, 0.2, 0.32, 0.44][level] * height;
  const lip = Math.max(2, height * 0.08);
  const inner = level === 0
    ? `<line x1="${cx - rx * 0.85}" y1="${cy}" x2="${cx + rx * 0.85}" y2="${cy}" stroke="#3a0a10" stroke-width="${Math.max(1, lip / 2)}"/>`
    : `<clipPath id="m"><ellipse cx="${cx}" cy="${cy}" rx="${rx * 0.86}" ry="${open}"/></clipPath>` +
      `<ellipse cx="${cx}" cy="${cy}" rx="${rx * 0.86}" ry="${open}" fill="#3a0a10"/>` +
      (level >= 2 ? `<rect clip-path="url(#m)" x="${cx - rx * 0.6}" y="${cy - open}" width="${rx * 1.2}" height="${open * 0.35}" fill="#f4f0e8"/>` : '');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${open + lip}" fill="#b8434f" stroke="#6e1f28" stroke-width="1"/>
  ${inner}
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
