// Colours derived from prompts: stable, different between prompts and between siblings.

import { describe, expect, it } from 'vitest';
import { hashText, hsl, paletteFor } from './palette.ts';

describe('paletteFor', () => {
  it('is the same for the same prompt, in every process', () => {
    expect(paletteFor('a cat')).toEqual(paletteFor('a cat'));
    // FNV-1a reference values: a change here would recolour every existing output.
    expect(hashText('')).toBe(0x811c9dc5);
    expect(hashText('a')).toBe(0xe40c292c);
    expect(hashText('a cat')).toBe(0xde147448);
  });

  it('turns the hue far for each variant', () => {
    const hues = [0, 1, 2, 3].map((i) => paletteFor('a cat', i).hue);
    for (let i = 1; i < hues.length; i++) {
      const apart = Math.abs(hues[i] - hues[i - 1]) % 360;
      expect(Math.min(apart, 360 - apart)).toBeGreaterThan(90);
    }
  });
});

describe('hsl', () => {
  it('converts primaries and greys', () => {
    expect(hsl(0, 1, 0.5)).toBe('#ff0000');
    expect(hsl(120, 1, 0.5)).toBe('#00ff00');
    expect(hsl(240, 1, 0.5)).toBe('#0000ff');
    expect(hsl(77, 0, 0.5)).toBe('#808080');
  });
});
