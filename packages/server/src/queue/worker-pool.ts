// Runs jobs of one kind with bounded concurrency. Workers poll the jobs table (so jobs made by another process,
// or left by a killed one, are found) and are woken at once when this process enqueues a job.
//
// A job holds a worker slot while it works; while it only waits for bytes from elsewhere (an input download) it
// lends its slot to another job (`JobSlot.whileWaiting`), so a slow remote server cannot keep every worker idle.

import { claimJob, buryJob, completeJob, extendLeases, newLeaseOwner, rescheduleJob, snoozeJob, type Job, type JobKind } from '../store/jobs.ts';
import type { Db } from '../store/open.ts';
import { RepeatLimiter } from './repeat-limiter.ts';

/** done: remove the job; wakeAt: run it again later (not a failure); retryAt: a failed attempt; dead: give up. */
export type JobOutcome = { done: true } | { wakeAt: number } | { retryAt: number; error: string } | { dead: string };

/** What a running job can do with its worker slot. */
export interface JobSlot {
  /** Runs `work` (waiting on the network) without holding a worker slot; the slot is taken back before it returns. */
  whileWaiting<T>(work: () => Promise<T>): Promise<T>;
}

export interface WorkerPoolOptions {
  kind: JobKind;
  /** Jobs working at once. */
  concurrency: number;
  /** Jobs that may wait (whileWaiting) on top of those working: the bound on downloads held open at once. */
  waitingSlots?: number;
  /** Leased jobs one tenant may hold at once (see claimJob); unbounded when not set. */
  tenantCap?: number;
  /**
   * How long a claimed job stays ours without a heartbeat; a crashed or frozen pool's job is due again after it. The
   * pool renews the leases of its running jobs every third of it, so a job may run far longer.
   */
  leaseMs: number;
  /** This pool's lease owner id; a new one (host, pid, random) when not set. */
  owner?: string;
  idlePollMs?: number;
  /** Backoff after a handler threw: base · 2^(attempt-1), at most maxMs. */
  retry?: { baseMs: number; maxMs: number };
  now?: () => number;
  /** An unexpected error; the same message is reported at most once per 30 s, with the repeats left out since. */
  onError?: (error: unknown, job: Job | undefined, suppressed: number) => void;
  /** Told how long each job run took, waits for input bytes included (metrics). */
  onRan?: (kind: JobKind, seconds: number) => void;
}

const DEFAULT_RETRY = { baseMs: 1_000, maxMs: 30_000 };

export class WorkerPool {
  /** Jobs holding a worker slot. */
  private working = 0;
  /** Jobs claimed and not finished (working or waiting). */
  private inFlight = 0;
  /** Waiting jobs whose wait ended, in the order they asked for their slot back: they go before new claims. */
  private readonly regain: (() => void)[] = [];
  /** Failed attempts whose release could not be written (the database refused writes): tried again on each poll. */
  private readonly unreleased = new Map<number, { runAt: number; error: string }>();
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Who holds this pool's leases: other pools take its jobs only once it stopped renewing them. */
  readonly owner: string;
  private readonly idle = new Set<() => void>();
  private readonly errors: RepeatLimiter;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly options: WorkerPoolOptions,
    private readonly handle: (job: Job, slot: JobSlot) => Promise<JobOutcome>,
  ) {
    this.now = options.now ?? Date.now;
    this.errors = new RepeatLimiter(30_000, this.now);
    this.owner = options.owner ?? newLeaseOwner();
  }

  start(): void {
    this.schedule(0);
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(1, Math.floor(this.options.leaseMs / 3)));
  }

  /** Extends the leases of the jobs this pool is running: a long render keeps its job however long it takes. */
  private async renewLeases(): Promise<void> {
    if (this.inFlight === 0) return;
    try {
      await extendLeases(this.db, this.owner, this.now() + this.options.leaseMs);
    } catch (error) {
      // A missed renewal is retried at the next beat; the lease has two more beats to run.
      this.report(error, undefined);
    }
  }

  /** Called after enqueueing: look for work now rather than at the next poll. */
  wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  /** Stops taking jobs and waits for the running ones to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
    clearInterval(this.heartbeat);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fill(), delayMs);
  }

  private hasRoom(): boolean {
    return this.working < this.options.concurrency && this.regain.length === 0
      && this.inFlight < this.options.concurrency + (this.options.waitingSlots ?? 0);
  }

  private async fill(): Promise<void> {
    await this.writeReleases();
    while (!this.stopped && this.hasRoom()) {
      let job: Job | undefined;
      try {
        job = await claimJob(this.db, this.options.kind, {
          leaseMs: this.options.leaseMs, owner: this.owner, now: this.now(), tenantCap: this.options.tenantCap,
        });
      } catch (error) {
        this.report(error, undefined);
        break;
      }
      if (!job) break;
      this.working++;
      this.inFlight++;
      void this.run(job);
    }
    if (!this.stopped) this.schedule(this.options.idlePollMs ?? 250);
  }

  private async run(job: Job): Promise<void> {
    const startedAt = performance.now();
    try {
      const outcome = await this.handle(job, this.slotFor());
      if ('done' in outcome) await completeJob(this.db, job.id, this.owner);
      else if ('dead' in outcome) await buryJob(this.db, job.id, outcome.dead, this.owner);
      else if ('wakeAt' in outcome) await snoozeJob(this.db, job.id, outcome.wakeAt, this.owner);
      else await rescheduleJob(this.db, job.id, outcome.retryAt, outcome.error, this.owner);
    } catch (error) {
      // A step that failed on the machine (disk full, a killed process, a database that refuses writes) must not
      // keep its lease for minutes: the lease ends now and the job is tried again after a backoff.
      this.report(error, job);
      const { baseMs, maxMs } = this.options.retry ?? DEFAULT_RETRY;
      const delay = Math.min(baseMs * 2 ** Math.max(0, job.attempts - 1), maxMs);
      await this.release(job.id, this.now() + delay, error instanceof Error ? error.message : String(error));
    } finally {
      this.options.onRan?.(this.options.kind, (performance.now() - startedAt) / 1000);
      this.inFlight--;
      this.giveBackSlot();
      if (this.inFlight === 0) for (const resolve of this.idle) resolve();
    }
  }

  private async release(id: number, runAt: number, error: string): Promise<void> {
    try {
      await rescheduleJob(this.db, id, runAt, error, this.owner);
    } catch {
      this.unreleased.set(id, { runAt, error });
    }
  }

  private async writeReleases(): Promise<void> {
    for (const [id, { runAt, error }] of this.unreleased) {
      try {
        await rescheduleJob(this.db, id, runAt, error, this.owner);
        this.unreleased.delete(id);
      } catch {
        return;
      }
    }
  }

  private report(error: unknown, job: Job | undefined): void {
    const suppressed = this.errors.admit(error instanceof Error ? error.message : String(error));
    if (suppressed !== undefined) this.options.onError?.(error, job, suppressed);
  }

  /** A slot was freed: a job whose wait ended takes it first, otherwise look for new work. */
  private giveBackSlot(): void {
    this.working--;
    const next = this.regain.shift();
    if (next) {
      this.working++;
      next();
    } else if (!this.stopped) {
      this.schedule(0);
    }
  }

  private takeSlot(): Promise<void> {
    if (this.working < this.options.concurrency && this.regain.length === 0) {
      this.working++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.regain.push(resolve));
  }

  private slotFor(): JobSlot {
    let waits = 0;
    let regained: Promise<void> = Promise.resolve();
    return {
      whileWaiting: async (work) => {
        await regained;
        if (waits++ === 0) this.giveBackSlot();
        try {
          return await work();
        } finally {
          // Concurrent waits of one job share one lent slot: it is taken back when the last of them ends.
          if (--waits === 0) await (regained = this.takeSlot());
        }
      },
    };
  }
}
