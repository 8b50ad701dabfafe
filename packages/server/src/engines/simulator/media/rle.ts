// COCO run-length encoding of binary masks, as multi-elements answers them (spec §2.6): runs counted down the
// columns (column-major), starting with a run of zeros, written in pycocotools' compressed string form. Kling's own
// sample decoder (in its Multi-Elements page) reads exactly this; `decodeRle` is a port of it.

/** A mask as kiln holds it: one byte per pixel, row-major, 0 = outside, anything else = inside. */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface RleMask {
  /** [height, width], as Kling writes it. */
  size: [number, number];
  counts: string;
}

/** Run lengths, column by column, the first run counting zeros (possibly an empty run). */
export function runLengths(mask: Mask): number[] {
  const { width, height, data } = mask;
  const runs: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const value = data[y * width + x] ? 1 : 0;
      if (value !== current) {
        runs.push(run);
        run = 0;
        current = value;
      }
      run++;
    }
  }
  runs.push(run);
  return runs;
}

/** pycocotools' rleToString: each count as a delta to the one two before (from the fourth on), 5 bits a char. */
export function countsToString(runs: readonly number[]): string {
  let out = '';
  for (let i = 0; i < runs.length; i++) {
    let x = runs[i];
    if (i > 2) x -= runs[i - 2];
    let more = true;
    while (more) {
      let c = x & 0x1f;
      x >>= 5;
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      out += String.fromCharCode(c + 48);
    }
  }
  return out;
}

export function encodeRle(mask: Mask): RleMask {
  return { size: [mask.height, mask.width], counts: countsToString(runLengths(mask)) };
}

/** Kling's sample decoder (rleFrString + rleDecode), to a row-major 0/1 array. */
export function decodeRle(rle: RleMask): Uint8Array {
  const [h, w] = rle.size;
  const s = rle.counts;
  const runs: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = 1;
    while (more) {
      const c = s.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = c & 0x20;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    if (runs.length > 2) x += runs[runs.length - 2];
    runs.push(x);
  }
  const out = new Uint8Array(h * w);
  let pos = 0;
  let value = 0;
  for (const run of runs) {
    for (let i = 0; i < run; i++, pos++) if (value) out[(pos % h) * w + Math.floor(pos / h)] = 1;
    value ^= 1;
  }
  return out;
}
