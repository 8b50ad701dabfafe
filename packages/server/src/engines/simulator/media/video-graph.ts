// Builds the single ffmpeg command that turns prepared stills (or a moving layer: a camera move over a canvas, an
// input video) into the final MP4 and its watermarked twin, with the soundtrack copied or taken from an input.

import { AUDIO_SAMPLE_RATE, CONTAINER_ARGS, VIDEO_CODEC_ARGS } from './encode-settings.ts';

/**
 * A picture ffmpeg reads: an image file (PNG, …), or raw pixels. Raw is how the renderer hands over its stills: ffmpeg
 * decodes a 1080p PNG in ~20 ms on its one filter thread, three times a multi-shot video's share of the work that is
 * not encoding, while raw RGB is read straight in (sharp writes it faster than a PNG, too).
 */
export type Picture = string | RawPicture;

export interface RawPicture {
  raw: string;
  width: number;
  height: number;
  /** RGBA when set, else RGB. */
  alpha: boolean;
}

/** A still shown unchanged for a number of frames, e.g. the first-frame image at the start of the first shot. */
export interface Hold {
  /** Exactly the output size. */
  png: Picture;
  frames: number;
}

/**
 * A segment whose picture moves (a camera move, an input video): a moving layer with the card's text drawn over it.
 * The intro, if any, is part of the moving layer: it is the moving picture before the text appears.
 */
export interface Moving {
  /** Where the layer comes from: a still (canvas) or a video file. */
  input: Picture;
  /** Filters that turn that input into exactly the segment's frames at the output size (outro excluded). */
  filters: string;
  /** RGBA picture of the output size, drawn from frame `overlayFrom` on. */
  overlay: Picture;
  overlayFrom: number;
}

export interface Segment {
  /** The segment's title card, exactly the output size (unused when `moving` is set). */
  card: Picture;
  moving?: Moving;
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
  /** Instead: the audio of this file (e.g. an input video), encoded to AAC, cut or padded with silence to `seconds`. */
  audioFrom?: { input: string; seconds: number };
  out: string;
  /** Also write a copy with this RGBA PNG overlaid at (left, top). */
  watermark?: { png: string; left: number; top: number; out: string };
  /** Encode only frames [start, end) of the segments' timeline: one part of a video encoded in several. */
  range?: { start: number; end: number };
  /** x264 threads; unset lets x264 choose (about 1.5 per core). */
  threads?: number;
}

/** The raw still files a segment reads (image files given by path are the caller's and already exist). */
export function segmentPictures(segment: Segment): string[] {
  const pictures = [segment.card, segment.intro?.png, segment.outro?.png, segment.moving?.input, segment.moving?.overlay];
  return pictures.flatMap((p) => (p !== undefined && typeof p !== 'string' ? [p.raw] : []));
}

/** How often a progress bar over a still advances (see videoArgs). */
export const BAR_STEPS_PER_SECOND = 8;

/** ffmpeg arguments for the spec: one decode of each input, one filter graph, one or two H.264 outputs. */
export function videoArgs(spec: GraphSpec): string[] {
  const inputs: string[][] = [];
  const input = (picture: Picture) => {
    const file = typeof picture === 'string' ? picture : picture.raw;
    // A file used twice (an input video's pictures and its sound) is opened once.
    const known = inputs.findIndex((args) => args.at(-1) === file);
    if (known >= 0) return known;
    inputs.push(
      typeof picture === 'string'
        ? ['-i', file]
        : ['-f', 'rawvideo', '-pix_fmt', picture.alpha ? 'rgba' : 'rgb24', '-s', `${picture.width}x${picture.height}`, '-i', file],
    );
    return inputs.length - 1;
  };
  const filters: string[] = [];
  const parts: string[] = [];
  const { fps, width } = spec;
  // Stills are decoded once and repeated by `loop`; rebuilding timestamps as frame numbers in a 1/fps time base makes
  // every part exactly `frames` long with no rounding, whatever the still's own timing was.
  const frameClock = `settb=1/${fps},setpts=N,setsar=1`;
  const still = (file: Picture, frames: number) => `[${input(file)}:v]format=yuv420p,loop=loop=${frames - 1}:size=1:start=0,${frameClock}`;
  // The moving part: a bar that grows across the bottom edge, from frame `from`, and is full on the last frame.
  const bar = (i: number, source: string, colour: string, from: number, frames: number) => {
    filters.push(`color=c=${colour}:s=${width}x${spec.barHeight}:r=${fps}[b${i}]`);
    filters.push(`[${source}][b${i}]overlay=x='-w+w*(n+1${from ? `-${from}` : ''})/${frames}':y=H-h:shortest=1[s${i}]`);
    parts.push(`s${i}`);
  };

  // A part that starts inside its first shot's card starts drawing there (the bar where it would be by then),
  // instead of making the frames before it only to drop them.
  const first = spec.segments[0];
  const firstIntro = first?.intro?.frames ?? 0;
  const skip =
    spec.range && first && !first.moving && spec.range.start >= firstIntro && spec.range.start < first.frames - (first.outro?.frames ?? 0)
      ? spec.range.start
      : 0;

  spec.segments.forEach((seg, i) => {
    const outroFrames = seg.outro?.frames ?? 0;
    if (seg.moving) {
      const mv = seg.moving;
      const frames = seg.frames - outroFrames;
      filters.push(`[${input(mv.input)}:v]${mv.filters},trim=end_frame=${frames},${frameClock}[m${i}]`);
      // A one-frame overlay input is repeated by overlay itself (eof_action defaults to repeat).
      filters.push(`[${input(mv.overlay)}:v]format=yuva420p[t${i}]`);
      const enable = mv.overlayFrom > 0 ? `:enable='gte(n,${mv.overlayFrom})'` : '';
      filters.push(`[m${i}][t${i}]overlay=0:0${enable}[c${i}]`);
      bar(i, `c${i}`, seg.barColour, mv.overlayFrom, frames - mv.overlayFrom);
    } else {
      // Holds are cuts, not fades: a cross-fade re-encodes every pixel of every frame it spans, which cost more than
      // the whole rest of a render, while a cut costs one frame.
      const cardSkip = i === 0 ? Math.max(0, skip - firstIntro) : 0;
      if (seg.intro && !(i === 0 && skip)) {
        filters.push(`${still(seg.intro.png, seg.intro.frames)}[in${i}]`);
        parts.push(`in${i}`);
      }
      const cardFrames = seg.frames - (seg.intro?.frames ?? 0) - outroFrames;
      // Over a still the bar moves in steps: every change needs a private copy of the whole frame, and that copy
      // (plus x264 reading a fresh buffer) cost more than the rest of the filter graph, ~15% of a 1080p render.
      // The distinct frames are made once and repeated by reference: the bar advances `BAR_STEPS_PER_SECOND` times
      // a second, smooth enough for a progress bar, and is full on the card's last frame.
      const every = Math.max(1, Math.round(fps / BAR_STEPS_PER_SECOND));
      const steps = Math.ceil(cardFrames / every);
      // Skipped: whole steps, then the first frames of the step the part starts in.
      const skipSteps = Math.floor(cardSkip / every);
      const skipInStep = cardSkip - skipSteps * every;
      filters.push(`${still(seg.card, steps - skipSteps)}[c${i}]`);
      filters.push(`color=c=${seg.barColour}:s=${width}x${spec.barHeight}:r=${fps}[b${i}]`);
      const cut = `trim=${skipInStep ? `start_frame=${skipInStep}:` : ''}end_frame=${cardFrames - skipSteps * every}`;
      const repeat = every > 1 ? `,setpts=N*${every},fps=${fps},tpad=stop=-1:stop_mode=clone,${cut},setpts=N` : '';
      const step = skipSteps ? `n+1+${skipSteps}` : 'n+1';
      filters.push(`[c${i}][b${i}]overlay=x='-w+w*(${step})/${steps}':y=H-h:shortest=1${repeat}[s${i}]`);
      parts.push(`s${i}`);
    }
    if (seg.outro) {
      filters.push(`${still(seg.outro.png, seg.outro.frames)}[out${i}]`);
      parts.push(`out${i}`);
    }
  });

  let video = parts[0];
  if (parts.length > 1) {
    filters.push(`${parts.map((l) => `[${l}]`).join('')}concat=n=${parts.length}:v=1:a=0[cat]`);
    video = 'cat';
  }
  if (spec.range) {
    // The frames before the range are made and dropped; over stills that costs little (repeats are references).
    // Counted again from 0 in the 1/fps time base: concat's output has a finer one, where `setpts=N` alone would
    // squeeze every frame into the first 1/fps and the encoder would drop all but one.
    filters.push(`[${video}]trim=start_frame=${spec.range.start - skip}:end_frame=${spec.range.end - skip},${frameClock}[range]`);
    video = 'range';
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

  // Audio: a prepared AAC file is copied as is; an input's sound is encoded once per output, to the exact length.
  const audioArgs: string[][] = [];
  if (spec.audioFile !== undefined) {
    const audio = input(spec.audioFile);
    for (const _ of outputs) audioArgs.push(['-map', `${audio}:a`, '-c:a', 'copy']);
  } else if (spec.audioFrom) {
    const audio = input(spec.audioFrom.input);
    const labels = outputs.map((_, k) => `a${k}`);
    const shaped = `[${audio}:a]aresample=${AUDIO_SAMPLE_RATE},apad,atrim=end=${spec.audioFrom.seconds}`;
    filters.push(labels.length > 1 ? `${shaped},asplit=${labels.length}${labels.map((l) => `[${l}]`).join('')}` : `${shaped}[${labels[0]}]`);
    for (const l of labels) audioArgs.push(['-map', `[${l}]`, '-c:a', 'aac', '-b:a', '128k']);
  }

  const totalFrames = spec.range ? spec.range.end - spec.range.start : spec.segments.reduce((sum, s) => sum + s.frames, 0);
  const threads = spec.threads === undefined ? [] : ['-threads', String(spec.threads)];
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...inputs.flat(), '-filter_complex', filters.join(';')];
  outputs.forEach((o, k) => {
    args.push('-map', `[${o.label}]`, ...(audioArgs[k] ?? []));
    args.push(...VIDEO_CODEC_ARGS, ...threads, '-r', String(fps), '-frames:v', String(totalFrames), '-map_metadata', '-1', ...CONTAINER_ARGS, o.file);
  });
  return args;
}
