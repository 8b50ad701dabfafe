// Kling's own sample decoder for multi-elements masks ("Decoding Image Segmentation Result" on the Multi-Elements
// page of the official API reference), kept as published apart from types, so the tests decode kiln's RLE the way a
// Kling client does rather than with kiln's own code.

export type RLEObject = {
  size: [h: number, w: number];
  counts: string;
};
type RLE = {
  h: number;
  w: number;
  m: number;
  binaries: number[];
};

export function klingDecode(rleObj: RLEObject): Uint8Array {
  const [h, w] = rleObj.size;
  const R: RLE = { h, w, m: 0, binaries: [0] };
  rleFrString(R, rleObj.counts);
  const unitArray = new Uint8Array(h * w);
  rleDecode(R, unitArray);
  return unitArray;
}

function rleDecode(R: RLE, M: Uint8Array) {
  let j;
  let k;
  let p = 0;
  let v = false;
  for (j = 0; j < R.m; j++) {
    for (k = 0; k < R.binaries[j]; k++) {
      const x = Math.floor(p / R.h);
      const y = p % R.h;
      M[y * R.w + x] = v === false ? 0 : 1; // Note: y * width + x indicates row-major (horizontal) layout.
      p++;
    }
    v = !v;
  }
}

function rleFrString(R: RLE, s: string) {
  let m = 0;
  let p = 0;
  let k;
  let x;
  let more;
  const binaries: number[] = [];
  while (s[p]) {
    x = 0;
    k = 0;
    more = 1;
    while (more) {
      const c = s.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = c & 0x20;
      p++;
      k++;
      if (!more && c & 0x10) {
        x |= -1 << (5 * k);
      }
    }
    if (m > 2) {
      x += binaries[m - 2];
    }
    binaries[m++] = x;
  }
  R.m = m;
  R.binaries = binaries;
}
