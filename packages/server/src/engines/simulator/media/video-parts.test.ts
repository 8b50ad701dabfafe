// How a storyboard is shared out between encodes: every frame in exactly one part, parts of equal length.

import { describe, expect, it } from 'vitest';
import { planParts } from './video-parts.ts';

describe('planParts', () => {
  it('cuts the timeline into one equal part per worker, inside shots where needed', () => {
    // 3 + 3 + 4 s at 24 fps on 2 cores: frames 0–119 (shots 1 and 2) and 120–239 (shots 2 and 3).
    expect(planParts([{ frames: 72 }, { frames: 72 }, { frames: 96 }], 2)).toEqual([
      { segments: [0, 1], start: 0, end: 120 },
      { segments: [1, 2], start: 48, end: 168 },
    ]);
    expect(planParts([{ frames: 24 }, { frames: 216 }], 3)).toEqual([
      { segments: [0, 1], start: 0, end: 80 },
      { segments: [1], start: 56, end: 136 },
      { segments: [1], start: 136, end: 216 },
    ]);
  });

  it('cuts on a shot boundary that is close to an even cut', () => {
    expect(planParts([{ frames: 114 }, { frames: 126 }], 2)).toEqual([
      { segments: [0], start: 0, end: 114 },
      { segments: [1], start: 0, end: 126 },
    ]);
  });

  it('cuts a storyboard with a moving picture only between shots', () => {
    expect(planParts([{ frames: 24 }, { frames: 216, moving: {} }], 2)).toEqual([
      { segments: [0], start: 0, end: 24 },
      { segments: [1], start: 0, end: 216 },
    ]);
  });

  it('never makes more parts than frames', () => {
    expect(planParts([{ frames: 1 }, { frames: 1 }], 4)).toEqual([
      { segments: [0], start: 0, end: 1 },
      { segments: [1], start: 0, end: 1 },
    ]);
  });
});
