// One poll loop for every task a client waits on: a single timer, one query per task per round however many
// callers wait on it, a per-task interval that backs off while nothing happens, a cap on queries in flight, and
// per-waiter deadlines and AbortSignals.

import { isTerminal, type TaskObject } from '@kiln/contract';
import { KlingAbortError, KlingApiError, KlingConnectionError, WaitTimeoutError } from './errors.ts';
import { isRetryableApiError } from './retry.ts';

export interface PollPolicy {
  /** First wait between queries of a task. */
  intervalMs: number;
  /** The interval grows by `factor` each round up to this. */
  maxIntervalMs: number;
  factor: number;
  /** Queries in flight at once, over all tasks. */
  concurrency: number;
}

export const DEFAULT_POLL: PollPolicy = { intervalMs: 1_000, maxIntervalMs: 10_000, factor: 1.5, concurrency: 8 };

export interface WatchOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called with the task each time it is seen (first with what the caller already had, if anything). */
  onUpdate?: (task: TaskObject) => void;
}

interface Waiter {
  resolve: (task: TaskObject) => void;
  reject: (error: unknown) => void;
  deadline: number;
  timeoutMs: number;
  onUpdate?: (task: TaskObject) => void;
  detach: () => void;
}

interface Watch {
  fetch: () => Promise<TaskObject>;
  waiters: Set<Waiter>;
  last?: TaskObject;
  nextAt: number;
  interval: number;
  inFlight: boolean;
}

export class Poller {
  private readonly watches = new Map<string, Watch>();
  private timer?: ReturnType<typeof setTimeout>;
  private timerAt = Infinity;
  private inFlight = 0;

  constructor(private readonly policy: PollPolicy) {}

  /** Resolves with the task once it is `succeed` or `failed`. `key` identifies the task across callers. */
  watch(key: string, fetch: () => Promise<TaskObject>, known: TaskObject | undefined, options: WatchOptions = {}): Promise<TaskObject> {
    return new Promise<TaskObject>((resolve, reject) => {
      const { signal, timeoutMs = Infinity } = options;
      if (signal?.aborted) return reject(new KlingAbortError(signal.reason));
      if (known) options.onUpdate?.(known);
      if (known && isTerminal(known.task_status)) return resolve(known);
      let watch = this.watches.get(key);
      if (!watch) {
        // A task the caller has just seen is queried after one interval; an id alone, at once.
        const now = Date.now();
        watch = { fetch, waiters: new Set(), last: known, interval: this.policy.intervalMs, inFlight: false, nextAt: known ? now + this.policy.intervalMs : now };
        this.watches.set(key, watch);
      }
      const w = watch;
      const onAbort = () => this.settle(key, waiter, () => reject(new KlingAbortError(signal!.reason)));
      const waiter: Waiter = {
        resolve, reject, timeoutMs, onUpdate: options.onUpdate,
        deadline: Date.now() + timeoutMs,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      w.waiters.add(waiter);
      this.schedule();
    });
  }

  /** Tasks being waited on (for tests and diagnostics). */
  get size(): number {
    return this.watches.size;
  }

  private settle(key: string, waiter: Waiter, finish: () => void) {
    const watch = this.watches.get(key);
    waiter.detach();
    if (watch?.waiters.delete(waiter) && watch.waiters.size === 0) this.watches.delete(key);
    finish();
    this.schedule();
  }

  private schedule() {
    let at = Infinity;
    // With every query slot taken, the next poll is scheduled when a query ends (poll's finally).
    const canPoll = this.inFlight < this.policy.concurrency;
    for (const watch of this.watches.values()) {
      if (canPoll && !watch.inFlight) at = Math.min(at, watch.nextAt);
      for (const w of watch.waiters) at = Math.min(at, w.deadline);
    }
    if (at === this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (at === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.tick();
    }, Math.max(0, Math.min(at - Date.now(), 2 ** 31 - 1)));
  }

  private tick() {
    const now = Date.now();
    for (const [key, watch] of [...this.watches]) {
      for (const w of [...watch.waiters]) {
        if (w.deadline <= now) {
          const last = watch.last;
          this.settle(key, w, () => w.reject(new WaitTimeoutError(last ?? placeholder(key), w.timeoutMs)));
        }
      }
    }
    const due = [...this.watches.entries()].filter(([, w]) => !w.inFlight && w.nextAt <= now).sort((a, b) => a[1].nextAt - b[1].nextAt);
    for (const [key, watch] of due) {
      if (this.inFlight >= this.policy.concurrency) break;
      void this.poll(key, watch);
    }
    this.schedule();
  }

  private async poll(key: string, watch: Watch) {
    watch.inFlight = true;
    this.inFlight++;
    try {
      const task = await watch.fetch();
      watch.last = task;
      for (const w of [...watch.waiters]) {
        try {
          w.onUpdate?.(task);
        } catch (error) {
          this.settle(key, w, () => w.reject(error));
        }
      }
      if (isTerminal(task.task_status)) {
        for (const w of [...watch.waiters]) this.settle(key, w, () => w.resolve(task));
      } else {
        watch.interval = Math.min(this.policy.maxIntervalMs, watch.interval * this.policy.factor);
      }
    } catch (error) {
      const transient = error instanceof KlingConnectionError || (error instanceof KlingApiError && isRetryableApiError(error));
      if (!transient) {
        for (const w of [...watch.waiters]) this.settle(key, w, () => w.reject(error));
      } else {
        // The query already retried; keep waiting, but ask less often while the API struggles.
        watch.interval = Math.min(this.policy.maxIntervalMs, watch.interval * 2);
      }
    } finally {
      watch.inFlight = false;
      watch.nextAt = Date.now() + watch.interval;
      this.inFlight--;
      this.schedule();
    }
  }
}

function placeholder(key: string): TaskObject {
  const id = key.slice(key.lastIndexOf(' ') + 1);
  return { task_id: id, task_status: 'submitted', task_info: {}, created_at: 0, updated_at: 0 };
}
