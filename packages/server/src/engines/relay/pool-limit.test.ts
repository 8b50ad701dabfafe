// An upstream pool's limit after the upstream's own 1303: down to what kiln held there, then back up a slot a minute.

import { describe, expect, it } from 'vitest';
import { effectiveLimit, effectiveLimits, loweredAfterRefusal, RAISE_EVERY_MS } from './pool-limit.ts';

describe('the upstream pool limit', () => {
  it("is the operator's figure until the upstream refuses below it", () => {
    expect(effectiveLimit(5, undefined, 0)).toBe(5);
    expect(effectiveLimit(undefined, undefined, 0)).toBeUndefined();
  });

  it('drops to the slots kiln held when refused (at least one), and climbs back one slot a minute to the figure', () => {
    const lowered = loweredAfterRefusal(2, 1_000);
    expect(effectiveLimit(5, lowered, 1_000)).toBe(2);
    expect(effectiveLimit(5, lowered, 1_000 + RAISE_EVERY_MS - 1)).toBe(2);
    expect(effectiveLimit(5, lowered, 1_000 + RAISE_EVERY_MS)).toBe(3);
    expect(effectiveLimit(5, lowered, 1_000 + 10 * RAISE_EVERY_MS)).toBe(5);
    expect(effectiveLimit(5, loweredAfterRefusal(0, 0), 0)).toBe(1);
    // An account with no figure still gets one for a while after a refusal.
    expect(effectiveLimit(undefined, lowered, 1_000 + RAISE_EVERY_MS)).toBe(3);
  });

  it('lists the limits kept to now, per pack type', () => {
    expect(effectiveLimits({ video: 5, image: 10 }, { video: loweredAfterRefusal(2, 0), 'try-on': loweredAfterRefusal(1, 0) }, 0))
      .toEqual({ video: 2, image: 10, 'try-on': 1 });
  });
});
