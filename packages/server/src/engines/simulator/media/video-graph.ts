// Builds the single ffmpeg command that turns prepared stills into the final MP4 (and its watermarked twin).

import { CONTAINER_ARGS, VIDEO_CODEC_ARGS } from './encode-settings.ts';

/** A still that covers the whole frame and fades against the segment's card. */
export interface FrameOverlay {
  /** PNG, exactly the output size. */
  png: string;
  /** Frames it shows fully before fading (intro) — unused for outros, which end fully shown. */
  holdFrames: number;
  fadeFrames: number;
}

export interface Segment {
  /** PNG of the segment's title card, exactly the output size. */
  card: string;
  frames: number;
  /** Colour of the progress bar, as ffmpeg reads it (0xRRGGBB). */
  barColour: string;
  /** The first-frame image: shown alone first, then fading out to reveal the card. */
  intro?: FrameOverlay;
  /** The end-frame image: fading in over the card and filling the segment's last frame. */
  outro?: FrameOverlay;
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
  const { fps, width } = spec;
  // Stills are decoded once and repeated by `loop`; rebuilding timestamps as frame numbers in a 1/fps time base makes
  // every segment exactly `frames` long with no rounding, whatever the still's own timing was.
  const repeat = (index: number, frames: number, format: string, firstFrame = 0) =>
    `[${index}:v]format=${format},loop=loop=${frames - 1}:size=1:start=0,settb=1/${fps},setpts=N+${firstFrame},setsar=1`;

  const segmentLabels = spec.segments.map((seg, i) => {
    let label = `s${i}`;
    filters.push(`${repeat(input(seg.card), seg.frames, 'yuv420p')}[c${i}]`);
    // The moving part: a bar that grows across the bottom edge and is full on the segment's last frame.
    filters.push(`color=c=${seg.barColour}:s=${width}x${spec.barHeight}:r=${fps}[b${i}]`);
    filters.push(`[c${i}][b${i}]overlay=x='-w+w*(n+1)/${seg.frames}':y=H-h:shortest=1[${label}]`);
    if (seg.intro) {
      const { holdFrames, fadeFrames } = seg.intro;
      filters.push(
        `${repeat(input(seg.intro.png), holdFrames + fadeFrames, 'yuva420p')},fade=t=out:s=${holdFrames}:n=${fadeFrames}:alpha=1[i${i}]`,
        // Once the intro's frames run out, `pass` leaves the card untouched for the rest of the segment.
        `[${label}][i${i}]overlay=eof_action=pass[${label}i]`,
      );
      label = `${label}i`;
    }
    if (seg.outro) {
      // fadeFrames + 1 frames, the last one opaque and landing on the segment's last frame.
      const { fadeFrames } = seg.outro;
      const first = seg.frames - 1 - fadeFrames;
      filters.push(
        `${repeat(input(seg.outro.png), fadeFrames + 1, 'yuva420p', first)},fade=t=in:s=0:n=${fadeFrames}:alpha=1[o${i}]`,
        `[${label}][o${i}]overlay=eof_action=pass[${label}o]`,
      );
      label = `${label}o`;
    }
    return label;
  });

  let video = segmentLabels[0];
  if (segmentLabels.length > 1) {
    filters.push(`${segmentLabels.map((l) => `[${l}]`).join('')}concat=n=${segmentLabels.length}:v=1:a=0[cat]`);
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
