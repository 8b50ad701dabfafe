// The shared poll loop with a scripted task source: one query per round for many waiters, backoff, deadlines,
// aborts, and transient errors that do not end the wait.

import { describe, expect, it, vi } from 'vitest';
import type { TaskObject, TaskStatus } from '@kiln/contract';
import { KlingAbortError, KlingConnectionError, WaitTimeoutError } from './errors.ts';
import { Poller } from './poller.ts';

const task = (status: TaskStatus): TaskObject => ({ task_id: '1', task_status: status, task_info: {}, created_at: 0, updated_at: 0 });
const policy = { intervalMs: 20, maxIntervalMs: 200, factor: 2, concurrency: 4 };

function scripted(statuses: (TaskStatus | Error)[]) {
  const calls: number[] = [];
  const fetch = async () => {
    calls.push(Date.now());
    const next = statuses.length > 1 ? statuses.shift()! : statuses[0];
    if (next instanceof Error) throw next;
    return task(next);
  };
  return { fetch, calls };
}

describe('Poller', () => {
  it('resolves every waiter of a task with one query per round', async () => {
    const poller = new Poller(policy);
    const source = scripted(['submitted', 'processing', 'succeed']);
    const results = await Promise.all([1, 2, 3].map(() => poller.watch('k', source.fetch, undefined)));
    expect(results.map((t) => t.task_status)).toEqual(['succeed', 'succeed', 'succeed']);
    expect(source.calls).toHaveLength(3);
    expect(poller.size).toBe(0);
  });

  it('keeps waiting through transient errors', async () => {
    const poller = new Poller(policy);
    const source = scripted(['submitted', new KlingConnectionError('reset', true), 'succeed']);
    expect((await poller.watch('k', source.fetch, undefined)).task_status).toBe('succeed');
  });

  it('ends the wait on an error that will not go away', async () => {
    const poller = new Poller(policy);
    const error = await poller.watch('k', scripted([new TypeError('bad')]).fetch, undefined).catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
  });

  it('times out with the last task seen, and aborts at once', async () => {
    // Fake timers: the poll times below are the poller's schedule, not this machine's speed.
    vi.useFakeTimers();
    try {
      const poller = new Poller(policy);
      const source = scripted(['processing']);
      const start = Date.now();
      const timingOut = poller.watch('a', source.fetch, undefined, { timeoutMs: 400 }).catch((e) => e);
      await vi.advanceTimersByTimeAsync(400);
      const timeout = await timingOut;
      expect(timeout).toBeInstanceOf(WaitTimeoutError);
      expect(timeout.task.task_status).toBe('processing');
      // At once for a bare id, then after 40, 80 and 160 ms (20 ms doubling after each unchanged answer); a fixed
      // 20 ms interval would have asked 20 times.
      expect(source.calls.map((t) => t - start)).toEqual([0, 40, 120, 280]);

      const controller = new AbortController();
      const waiting = poller.watch('b', source.fetch, undefined, { signal: controller.signal }).catch((e) => e);
      controller.abort('enough');
      const aborted = await waiting;
      expect(aborted).toBeInstanceOf(KlingAbortError);
      expect(aborted.cause).toBe('enough');
      expect(Date.now() - start).toBe(400);
      expect(poller.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
