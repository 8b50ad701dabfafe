// Backoff stays within its bounds with jitter; Retry-After is read in both of its forms; sleeps end on abort.

import { describe, expect, it, vi } from 'vitest';
import { KlingAbortError } from './errors.ts';
import { backoffDelay, parseRetryAfter, sleep } from './retry.ts';

describe('retry timing', () => {
  it('backs off exponentially with jitter, capped', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
    for (let i = 0; i < 200; i++) {
      const d0 = backoffDelay(0, policy);
      const d3 = backoffDelay(3, policy);
      const d9 = backoffDelay(9, policy);
      expect(d0).toBeGreaterThanOrEqual(50);
      expect(d0).toBeLessThanOrEqual(100);
      expect(d3).toBeGreaterThanOrEqual(400);
      expect(d3).toBeLessThanOrEqual(800);
      expect(d9).toBeLessThanOrEqual(1_000);
    }
    expect(new Set(Array.from({ length: 20 }, () => backoffDelay(2, policy))).size).toBeGreaterThan(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('sleep rejects with KlingAbortError as soon as the signal aborts', async () => {
    vi.useFakeTimers();
    try {
      const controller = new AbortController();
      const start = Date.now();
      setTimeout(() => controller.abort('stop'), 20);
      let error: any;
      const sleeping = sleep(10_000, controller.signal).catch((e) => { error = e; });
      await vi.advanceTimersByTimeAsync(20);
      await sleeping;
      expect(error).toBeInstanceOf(KlingAbortError);
      expect(error.cause).toBe('stop');
      // Ended at the abort, 20 ms in, with its 10 s timer cleared rather than left pending.
      expect(Date.now() - start).toBe(20);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
