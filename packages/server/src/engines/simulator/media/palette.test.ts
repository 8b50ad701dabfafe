// Colours derived from prompts: stable, different between prompts and between siblings.

import { describe, expect, it } from 'vitest';
import { hashText, hsl, paletteFor, shotPalette, shotTones } from './palette.ts';
import { rgbOf } from './test-support.ts';

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

describe('shotPalette', () => {
  const luma = (hex: string) => {
    const [r, g, b] = rgbOf(hex);
    return 0.299 * r + 0.587 * g + 0.114 * b;
  };

  it('makes a dark shot and a light neighbour differ in brightness by most of the range, at every hue', () => {
    // Whatever the prompt, neighbouring shots are a golden angle apart; the darkest light card against the
    // brightest dark one is the hardest cut to see.
    let background = Infinity;
    let shade = Infinity;
    for (let i = 0; i < 360; i++) {
      const key = `prompt ${i}`;
      // Shots 0 and 2 are dark, shot 1 light: both of its cuts.
      for (const [d, l] of [[0, 1], [2, 1]] as const) {
        const dark = shotPalette(key, d, 'dark');
        const light = shotPalette(key, l, 'light');
        background = Math.min(background, luma(light.background) - luma(dark.background));
        shade = Math.min(shade, luma(light.shade) - luma(dark.shade));
      }
    }
    expect(background).toBeGreaterThan(0.6 * 255);
    // The discs cover about a fifth of the frame.
    expect(shade).toBeGreaterThan(0.35 * 255);
  });

  it('writes dark text on light cards and white text on dark ones', () => {
    const light = shotPalette('a cat', 1, 'light');
    expect(luma(light.background) - luma(light.ink)).toBeGreaterThan(0.7 * 255);
    const dark = shotPalette('a cat', 0, 'dark');
    expect(dark.ink).toBe('#ffffff');
    expect(luma(dark.ink) - luma(dark.background)).toBeGreaterThan(0.7 * 255);
  });
});

describe('shotTones', () => {
  it('alternates dark and light, starting dark', () => {
    expect(shotTones(1)).toEqual(['dark']);
    expect(shotTones(4)).toEqual(['dark', 'light', 'dark', 'light']);
  });

  it('follows a first-frame picture with the opposite tone', () => {
    expect(shotTones(3, 200)).toEqual(['light', 'dark', 'light']);
    expect(shotTones(3, 40)).toEqual(['dark', 'light', 'dark']);
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
