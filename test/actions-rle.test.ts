// The multi-elements mask encoding (spec §2.6) against Kling's own sample decoder: any mask kiln encodes decodes to
// the same pixels, column-major runs starting with zeros, and the ellipse masks cover every clicked point.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countsToString, encodeRle, runLengths } from '../packages/server/src/engines/simulator/media/rle.ts';
import { maskCovers, maskFromPoints } from '../packages/server/src/engines/simulator/media/selection-mask.ts';
import { klingDecode } from './helpers/kling-rle.ts';

describe('RLE', () => {
  it('counts runs down the columns, starting with zeros (COCO)', () => {
    // 3×3 with the centre set: column 0 empty, column 1 = 0 1 0, column 2 empty.
    const centre = { width: 3, height: 3, data: Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0]) };
    expect(runLengths(centre)).toEqual([4, 1, 4]);
    expect(encodeRle(centre)).toEqual({ size: [3, 3], counts: '414' });
    // A mask that starts inside begins with an empty run of zeros.
    expect(runLengths({ width: 2, height: 1, data: Uint8Array.from([1, 0]) })).toEqual([0, 1, 1]);
    // 5 bits a character, low first, 0x20 = more to come: 40 → 'X1'. Past the third count each is written as the
    // difference to the one two before: 2 − 40 = −38 → 'jN' (sign-extended from the last character's 0x10 bit).
    expect(countsToString([5, 40, 3, 2])).toBe('5X13jN');
  });

  it('decodes with Kling\'s sample code to the very mask that was encoded', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.array(fc.boolean(), { minLength: 1600, maxLength: 1600 }), fc.boolean(),
      (width, height, bits, blocky) => {
        // Blocky masks have long runs (multi-character counts); noisy ones many short runs.
        const data = Uint8Array.from({ length: width * height }, (_, i) => (blocky ? (bits[Math.floor(i / 37) % 1600] ? 1 : 0) : bits[i % 1600] ? 1 : 0));
        expect(Array.from(klingDecode(encodeRle({ width, height, data })))).toEqual(Array.from(data));
      },
    ), { numRuns: 300 });
  });

  it('handles full-size masks: 4K, empty and full', () => {
    const points = [{ x: 0.1, y: 0.1 }, { x: 0.9, y: 0.95 }];
    const big = maskFromPoints(points, 3840, 2160);
    expect(Buffer.from(klingDecode(encodeRle(big))).equals(Buffer.from(big.data))).toBe(true);
    const empty = { width: 1280, height: 720, data: new Uint8Array(1280 * 720) };
    expect(klingDecode(encodeRle(empty)).every((v) => v === 0)).toBe(true);
    const full = { width: 1280, height: 720, data: new Uint8Array(1280 * 720).fill(1) };
    expect(klingDecode(encodeRle(full)).every((v) => v === 1)).toBe(true);
  });

  it('masks cover every clicked point', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ x: fc.double({ min: 0, max: 1, noNaN: true }), y: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 10 }),
      (points) => {
        const mask = maskFromPoints(points, 320, 180);
        for (const p of points) expect(maskCovers(mask, p)).toBe(true);
      },
    ), { numRuns: 200 });
  });
});
