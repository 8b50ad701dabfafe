// Runs jobs of one kind with bounded concurrency. Workers poll the jobs table (so jobs made by another process,
// or left by a killed one, are found) and are woken at once when this process enqueues a job.

import { claimJob, buryJob, completeJob, rescheduleJob, snoozeJob, type Job, type JobKind } from '../store/jobs.ts';
import type { Db } from '../store/open.ts';

/** done: remove the job; wakeAt: run it again later (not a failure); retryAt: a failed attempt; dead: give up. */
export type JobOutcome = { done: true } | { wakeAt: number } | { retryAt: number; error: string } | { dead: string };

export interface WorkerPoolOptions {
  kind: JobKind;
  concurrency: number;
  /** How long a claimed job stays ours; a crashed worker's job is due again after it. */
  leaseMs: number;
  idlePollMs?: number;
  onError?: (error: unknown, job: Job) => void;
}

export class WorkerPool {
  private running = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly options: WorkerPoolOptions,
    private readonly handle: (job: Job) => Promise<JobOutcome>,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Called after enqueueing: look for work now rather than at the next poll. */
  wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  /** Stops taking jobs and waits for the running ones to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fill(), delayMs);
  }

  private async fill(): Promise<void> {
    while (!this.stopped && this.running < this.options.concurrency) {
      let job: Job | undefined;
      try {
        job = await claimJob(this.db, this.options.kind, this.options.leaseMs);
      } catch (error) {
        this.options.onError?.(error, undefined as unknown as Job);
        break;
      }
      if (!job) break;
      this.running++;
      void this.run(job);
    }
    if (!this.stopped) this.schedule(this.options.idlePollMs ?? 250);
  }

  private async run(job: Job): Promise<void> {
    try {
      const outcome = await this.handle(job);
      if ('done' in outcome) await completeJob(this.db, job.id);
      else if ('dead' in outcome) await buryJob(this.db, job.id, outcome.dead);
      else if ('wakeAt' in outcome) await snoozeJob(this.db, job.id, outcome.wakeAt);
      else await rescheduleJob(this.db, job.id, outcome.retryAt, outcome.error);
    } catch (error) {
      // A handler bug must not kill the worker: the job is retried after its lease.
      this.options.onError?.(error, job);
    } finally {
      this.running--;
      if (this.running === 0) for (const resolve of this.idle) resolve();
      if (!this.stopped) this.schedule(0);
    }
  }
}
