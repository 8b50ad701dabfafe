// Builds the single ffmpeg command that turns prepared stills into the final MP4 (and its watermarked twin).

import { CONTAINER_ARGS, VIDEO_CODEC_ARGS } from './encode-settings.ts';

/** A still shown unchanged for a number of frames, e.g. the first-frame image at the start of the first shot. */
export interface Hold {
  /** PNG, exactly the output size. */
  png: string;
  frames: number;
}

export interface Segment {
  /** PNG of the segment's title card, exactly the output size. */
  card: string;
  /** The whole segment, holds included. */
  frames: number;
  /** Colour of the progress bar, as ffmpeg reads it (0xRRGGBB). */
  barColour: string;
  /** Shown before the card (the first-frame image). */
  intro?: Hold;
  /** Shown after the card, ending the segment (the end-frame image). */
  outro?: Hold;
}

export interface GraphSpec {
  width: number;
  height: number;
  fps: number;
  segments: Segment[];
  /** Height of the progress bar along the bottom edge. */
  barHeight: number;
  /** An AAC file to stream-copy as the soundtrack; none means no audio stream at all. */
  audioFile?: string;
  out: string;
  /** Also write a copy with this RGBA PNG overlaid at (left, top). */
  watermark?: { png: string; left: number; top: number; out: string };
}

/** ffmpeg arguments for the spec: one decode of each still, one filter graph, one or two H.264 outputs. */
export function videoArgs(spec: GraphSpec): string[] {
  const inputs: string[] = [];
  const input = (file: string) => {
    inputs.push('-i', file);
    return inputs.length / 2 - 1;
  };
  const filters: string[] = [];
  const parts: string[] = [];
  const { fps, width } = spec;
  // Stills are decoded once and repeated by `loop`; rebuilding timestamps as frame numbers in a 1/fps time base makes
  // every part exactly `frames` long with no rounding, whatever the still's own timing was.
  const repeat = (file: string, frames: number, label: string) => {
    filters.push(`[${input(file)}:v]format=yuv420p,loop=loop=${frames - 1}:size=1:start=0,settb=1/${fps},setpts=N,setsar=1[${label}]`);
    parts.push(label);
  };

  spec.segments.forEach((seg, i) => {
    // Holds are cuts, not fades: a cross-fade re-encodes every pixel of every frame it spans, which cost more than
    // the whole rest of a render, while a cut costs one frame.
    if (seg.intro) repeat(seg.intro.png, seg.intro.frames, `in${i}`);
    const cardFrames = seg.frames - (seg.intro?.frames ?? 0) - (seg.outro?.frames ?? 0);
    filters.push(`[${input(seg.card)}:v]format=yuv420p,loop=loop=${cardFrames - 1}:size=1:start=0,settb=1/${fps},setpts=N,setsar=1[c${i}]`);
    // The moving part: a bar that grows across the bottom edge and is full on the card's last frame.
    filters.push(`color=c=${seg.barColour}:s=${width}x${spec.barHeight}:r=${fps}[b${i}]`);
    filters.push(`[c${i}][b${i}]overlay=x='-w+w*(n+1)/${cardFrames}':y=H-h:shortest=1[s${i}]`);
    parts.push(`s${i}`);
    if (seg.outro) repeat(seg.outro.png, seg.outro.frames, `out${i}`);
  });

  let video = parts[0];
  if (parts.length > 1) {
    filters.push(`${parts.map((l) => `[${l}]`).join('')}concat=n=${parts.length}:v=1:a=0[cat]`);
    video = 'cat';
  }
  const outputs: Array<{ label: string; file: string }> = [];
  if (spec.watermark) {
    const wm = input(spec.watermark.png);
    filters.push(`[${video}]split=2[plain][towm]`);
    filters.push(`[towm][${wm}:v]overlay=x=${spec.watermark.left}:y=${spec.watermark.top}[marked]`);
    outputs.push({ label: 'plain', file: spec.out }, { label: 'marked', file: spec.watermark.out });
  } else {
    outputs.push({ label: video, file: spec.out });
  }
  const audio = spec.audioFile === undefined ? undefined : input(spec.audioFile);

  const totalFrames = spec.segments.reduce((sum, s) => sum + s.frames, 0);
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...inputs, '-filter_complex', filters.join(';')];
  for (const o of outputs) {
    args.push('-map', `[${o.label}]`);
    if (audio !== undefined) args.push('-map', `${audio}:a`, '-c:a', 'copy');
    args.push(...VIDEO_CODEC_ARGS, '-r', String(fps), '-frames:v', String(totalFrames), '-map_metadata', '-1', ...CONTAINER_ARGS, o.file);
  }
  return args;
}
