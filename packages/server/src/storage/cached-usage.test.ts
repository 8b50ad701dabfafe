import { describe, expect, it } from 'vitest';
import { cachedUsage } from './cached-usage.ts';

function countingStorage() {
  let counts = 0;
  let bytes = 100;
  return {
    storage: { usage: async () => ({ objects: ++counts, bytes }) },
    counts: () => counts,
    grow: (by: number) => { bytes += by; },
  };
}

describe('cachedUsage', () => {
  it('counts once, reuses the count while fresh, and refreshes it in the background once stale', async () => {
    let clock = 1_000;
    const backend = countingStorage();
    const usage = cachedUsage(backend.storage, 60_000, () => clock);
    expect(await usage()).toEqual({ objects: 1, bytes: 100, measured_at: 1_000 });
    clock += 59_000;
    backend.grow(50);
    expect(await Promise.all([usage(), usage(), usage()])).toEqual(Array(3).fill({ objects: 1, bytes: 100, measured_at: 1_000 }));
    expect(backend.counts()).toBe(1);

    clock += 2_000;
    // Stale: answered at once with the old count while one new count runs.
    expect((await Promise.all([usage(), usage()])).map((u) => u.bytes)).toEqual([100, 100]);
    await new Promise((r) => setImmediate(r));
    expect(backend.counts()).toBe(2);
    expect(await usage()).toEqual({ objects: 2, bytes: 150, measured_at: 62_000 });
  });

  it('says unknown (null) when the backend will not list', async () => {
    const usage = cachedUsage({ usage: async () => undefined });
    expect(await usage()).toMatchObject({ objects: null, bytes: null });
    const failing = cachedUsage({ usage: async () => { throw new Error('AccessDenied'); } });
    expect(await failing()).toMatchObject({ objects: null, bytes: null });
  });
});
