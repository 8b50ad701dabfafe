// Splits a storyboard's timeline into parts that separate single-threaded encodes can share out between the cores.

export interface VideoPart {
  /** The segments the part draws from, in order (indexes into the storyboard's segments). */
  segments: number[];
  /** Frames [start, end) of those segments' timeline, counted from the start of the first. */
  start: number;
  end: number;
}

/**
 * As many equal parts as there are `workers`, cut anywhere in the timeline: equal parts finish together, where one
 * part per shot left a core idle while the longest shot finished (72 + 72 + 96 frames on 2 cores: 132 frame-times
 * instead of 120). A cut close to a shot boundary (within 5% of the video) moves onto it, so no part draws a shot
 * for a handful of frames. A storyboard with a moving picture (a camera move) is cut only between shots: a part
 * starting inside a moving shot would first have to compute the frames before it.
 */
export function planParts(segments: ReadonlyArray<{ frames: number; moving?: unknown }>, workers: number): VideoPart[] {
  const starts: number[] = [];
  let total = 0;
  for (const s of segments) {
    starts.push(total);
    total += s.frames;
  }
  const ends = segments.map((s, i) => starts[i] + s.frames);
  if (segments.some((s) => s.moving)) return segments.map((s, i) => ({ segments: [i], start: 0, end: s.frames }));

  const count = Math.max(1, Math.min(workers, total));
  const cuts = [0];
  for (let k = 1; k < count; k++) {
    const even = Math.round((k * total) / count);
    const near = ends.slice(0, -1).find((b) => Math.abs(b - even) <= total * 0.05);
    const cut = near ?? even;
    if (cut > cuts[cuts.length - 1]) cuts.push(cut);
  }
  cuts.push(total);

  const parts: VideoPart[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [from, to] = [cuts[k], cuts[k + 1]];
    const used = segments.map((_, i) => i).filter((i) => starts[i] < to && ends[i] > from);
    const offset = starts[used[0]];
    parts.push({ segments: used, start: from - offset, end: to - offset });
  }
  return parts;
}
