// Line breaking for prompts drawn in SVG, where nothing else wraps the text.

import { describe, expect, it } from 'vitest';
import { escapeXml, fitText, textWidthEm, wrapText } from './text-layout.ts';

describe('wrapText', () => {
  it('breaks at spaces and keeps every line within the width', () => {
    const lines = wrapText('a paper boat drifting down a rainy street at night', 12, 10);
    expect(lines.join(' ')).toBe('a paper boat drifting down a rainy street at night');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(textWidthEm(line)).toBeLessThanOrEqual(12);
  });

  it('splits a word longer than a line', () => {
    const lines = wrapText('supercalifragilisticexpialidocious', 5, 20);
    expect(lines.join('')).toBe('supercalifragilisticexpialidocious');
    for (const line of lines) expect(textWidthEm(line)).toBeLessThanOrEqual(5);
  });

  it('breaks CJK text between characters', () => {
    const lines = wrapText('一只小猫在窗台上晒太阳', 4, 10);
    expect(lines).toEqual(['一只小猫', '在窗台上', '晒太阳']);
  });

  it('cuts with an ellipsis past the last allowed line', () => {
    const lines = wrapText('one two three four five six seven eight nine ten', 8, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1].endsWith('…')).toBe(true);
    expect(textWidthEm(lines[1])).toBeLessThanOrEqual(8);
  });

  it('returns nothing for blank text', () => {
    expect(wrapText('   ', 10, 3)).toEqual([]);
  });
});

describe('fitText', () => {
  it('uses large type for a short prompt and smaller type for a long one', () => {
    const box = { width: 1000, height: 400 };
    const short = fitText('a cat', box, 80, 20);
    const long = fitText('a cat '.repeat(60), box, 80, 20);
    expect(short).toEqual({ fontSize: 80, lines: ['a cat'] });
    expect(long.fontSize).toBeLessThan(80);
    expect(long.lines.length * long.fontSize * 1.25).toBeLessThanOrEqual(400);
  });

  it('cuts text that does not fit even at the minimum size', () => {
    const fitted = fitText('word '.repeat(2000), { width: 300, height: 100 }, 40, 20);
    expect(fitted.fontSize).toBe(20);
    expect(fitted.lines).toHaveLength(4);
    expect(fitted.lines.at(-1)!.endsWith('…')).toBe(true);
  });
});

describe('escapeXml', () => {
  it('escapes markup so prompts cannot break the SVG', () => {
    expect(escapeXml(`<b>"Tom" & 'Jerry'</b>`)).toBe('&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;');
  });
});
