// Moves a task along its lifecycle, submitted → processing → succeed | failed (spec §1.5): the `advance` job
// handler. The engine says what the next step is; the runner writes it. Each status change and its callback job
// are written in one transaction, so a crash between them cannot lose a callback; a crash mid-render leaves the job
// leased and it runs again after a restart. A step that fails on the machine (disk full, a killed ffmpeg, a database
// that refuses writes) is retried a few times with backoff, then the task fails unbilled with a message saying so.

import { familyByName, type TaskStatus } from '@kiln/contract';
import { TaskFailure, type Engine, type StepContext } from '../engines/engine.ts';
import { EngineRegistry, engineMissingMessage } from '../engines/registry.ts';
import { enqueueCallback, type Job } from '../store/jobs.ts';
import type { TaskRow, TaskStore } from '../store/tasks.ts';
import type { JobOutcome, JobSlot } from '../queue/worker-pool.ts';
import { RepeatLimiter } from '../queue/repeat-limiter.ts';
import { taskCallback } from './callback-body.ts';
import type { UrlMaker } from './serialize.ts';
import { chargeUnits } from '../store/resource-packs.ts';
import { registerOutputs } from '../store/outputs.ts';
import { registerCustomAssets } from '../store/custom-assets.ts';
import type { StoredResult } from './stored-result.ts';
import type { TaskObserver } from '../metrics/task-observer.ts';
import { LocalCopies } from '../storage/local-copies.ts';
import type { Storage } from '../storage/storage.ts';

/** Internal errors (not the task's fault) are retried this many times before the task fails. */
const MAX_ATTEMPTS = 3;
/** Steps taken in one job run before yielding to other work (a step that never waits is a bug, not a loop). */
const MAX_STEPS = 6;

export type TaskRunnerDeps = RunnerDeps & (
  /** The engines tasks name in their `engine` column. */
  | { engines: EngineRegistry }
  /** A runner of one engine: the registry of that engine alone. */
  | { engine: Engine }
);

interface RunnerDeps {
  store: TaskStore;
  urls: UrlMaker;
  fetchInput: StepContext['fetchInput'];
  fetchOutput: StepContext['fetchOutput'];
  /** Called after jobs were enqueued, to wake their workers. */
  onEnqueued: () => void;
  log: { error: (obj: object, msg: string) => void };
  /** Where other tasks' outputs a task reads are stored; the local files when absent. */
  storage?: Storage;
  /** Copies a task's outputs to shared storage (S3) before its result is stored; absent when they are local files. */
  publishOutputs?: (taskId: string, result: StoredResult) => Promise<void>;
  /** Told of status changes and renders (log lines, metrics). */
  observer?: TaskObserver;
}

/** What a task that failed on the machine tells its owner: what happened, and that it cost nothing. */
export function machineFailureMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC' || code === 'SQLITE_FULL' || /no space left|disk is full/i.test(message)) {
    return 'the server ran out of disk space while generating; the task was not billed';
  }
  return 'internal error while generating; the task was not billed';
}

export class TaskRunner {
  /** Every render fails the same way while the disk is full: one log line per message per 30 s. */
  private readonly errors = new RepeatLimiter();
  private readonly engines: EngineRegistry;

  constructor(private readonly deps: TaskRunnerDeps) {
    this.engines = 'engines' in deps ? deps.engines : new EngineRegistry([deps.engine]);
  }

  async advance(job: Job, slot?: JobSlot): Promise<JobOutcome> {
    try {
      return await this.steps(job, slot);
    } catch (error) {
      return this.failedAttempt(job, error);
    }
  }

  /**
   * An attempt that failed on the machine. Before the last attempt it is retried with backoff; at the last, the task
   * fails unbilled. If even that write fails (the database cannot write), the error reaches the worker pool, which
   * ends the lease and tries again after its own backoff (at most 30 s), so the task ends soon after space returns.
   */
  private async failedAttempt(job: Job, error: unknown): Promise<JobOutcome> {
    this.logError(error, job.task_id);
    if (job.attempts >= MAX_ATTEMPTS) {
      const task = await this.deps.store.byId(job.task_id);
      if (task && task.status !== 'succeed' && task.status !== 'failed') await this.finish(task, 'failed', machineFailureMessage(error));
      return { done: true };
    }
    return { retryAt: Date.now() + 2_000 * job.attempts, error: error instanceof Error ? error.message : String(error) };
  }

  private logError(error: unknown, taskId: string): void {
    const suppressed = this.errors.admit(error instanceof Error ? error.message : String(error));
    if (suppressed !== undefined) this.deps.log.error({ err: error, taskId, suppressed }, 'engine error');
  }

  private async steps(job: Job, slot: JobSlot | undefined): Promise<JobOutcome> {
    const { store } = this.deps;
    // Downloads do not hold a render slot while they wait for bytes: a slow input of one task never idles a worker.
    const fetchInput: StepContext['fetchInput'] = slot
      ? (url, maxBytes) => slot.whileWaiting(() => this.deps.fetchInput(url, maxBytes))
      : this.deps.fetchInput;
    const fetchOutput: StepContext['fetchOutput'] = slot
      ? (url, file, maxBytes) => slot.whileWaiting(() => this.deps.fetchOutput(url, file, maxBytes))
      : this.deps.fetchOutput;
    for (let i = 0; i < MAX_STEPS; i++) {
      let task = await store.byId(job.task_id);
      if (!task || task.status === 'succeed' || task.status === 'failed') return { done: true };
      // A task keeps the engine that admitted it. One whose engine this server does not run fails rather than waits:
      // engines are configured for the whole deployment, so no other worker would take it, and a client polling a
      // task that never moves is worse off than one told why it failed (unbilled, as every failed task).
      const engine = this.engines.get(task.engine);
      if (!engine) {
        await this.finish(task, 'failed', engineMissingMessage(task.engine));
        return { done: true };
      }
      const family = familyByName(task.family);
      if (!family) {
        await this.finish(task, 'failed', `unknown family ${task.family}`);
        return { done: true };
      }
      let step;
      const startedAt = performance.now();
      const outputDir = this.deps.urls.storage.taskDir(task.id);
      const copies = new LocalCopies(this.deps.storage ?? this.deps.urls.storage, this.deps.urls.storage, outputDir);
      try {
        step = await engine.step(task, {
          family,
          now: Date.now(),
          outputDir,
          mediaFile: (taskId, name) => copies.fileOf(taskId, name),
          fetchInput,
          fetchOutput,
        });
      } catch (error) {
        if (!(error instanceof TaskFailure)) throw error;
        await this.finish(task, 'failed', error.message);
        return { done: true };
      } finally {
        await copies.removeAll();
      }
      if (step.state !== undefined) {
        // The engine's state is stored before the step does anything; a stale row (another worker moved the task
        // on) stores nothing and does nothing, and the engine is asked again with the task as it now stands.
        const saved = await store.saveEngineState(task, step.state);
        if (!saved) continue;
        task = saved;
      }
      switch (step.kind) {
        case 'save':
          break;
        case 'wait':
          return { wakeAt: step.until };
        case 'park':
          return { done: true };
        case 'start':
          await this.transition(task, { status: 'processing', processing_at: Date.now() });
          break;
        case 'store': {
          await this.deps.observer?.rendered(task, startedAt, this.deps.urls.storage.taskDir(task.id));
          // Units are settled on what was really made: what the engine was billed (the relay), else the measured
          // length for families whose length follows an input (avatar, motion control), else the admitted figure.
          const seconds = step.result.videos?.[0]?.seconds ?? step.result.audios?.[0]?.seconds;
          const units = step.units ?? (seconds === undefined ? task.units : family.units(JSON.parse(task.request_json), { seconds }));
          // Uploaded before the result is stored, so a task never shows `succeed` with outputs another process cannot
          // serve; a failed upload is retried like any failure on the machine.
          await this.deps.publishOutputs?.(task.id, step.result);
          // Stored only over the row this worker read: a stale row (the task moved on elsewhere) writes nothing,
          // and the next step reads the task afresh.
          await store.storeResult(task, { result_json: JSON.stringify(step.result), units });
          break;
        }
        case 'succeed':
          await this.finish(task, 'succeed', '');
          return { done: true };
        case 'fail':
          await this.finish(task, 'failed', step.message);
          return { done: true };
      }
    }
    return { wakeAt: Date.now() };
  }

  private finish(task: TaskRow, status: TaskStatus, message: string): Promise<TaskRow> {
    // A failed task keeps no outputs: nothing half-made is ever shown.
    return this.transition(task, { status, status_msg: message, ...(status === 'failed' ? { result_json: null } : {}) });
  }

  /**
   * Writes a status change and, when the task has a callback URL, its callback job, in one transaction.
   * Returns the task as written, or as it stands if another worker moved it first.
   */
  private async transition(task: TaskRow, changes: Partial<TaskRow> & { status: TaskStatus }): Promise<TaskRow> {
    const updated: TaskRow = { ...task, ...changes, updated_at: Math.max(Date.now(), task.updated_at + 1) };
    const callbackUrl = task.callback_url;
    const written = await this.deps.store.transition(task, updated, async (trx) => {
      // A success is billed and its outputs become referable in the same commit as the status.
      if (updated.status === 'succeed') {
        await chargeUnits(trx, task.tenant_id, task.pack, task.units, { task: updated });
        if (updated.result_json) {
          const result = JSON.parse(updated.result_json);
          await registerOutputs(trx, task.tenant_id, task.id, result);
          // A cloned voice or a new element is usable (TTS, element_list, delete) from the moment the task succeeds.
          await registerCustomAssets(trx, task.tenant_id, task.id, result);
        }
      }
      if (!callbackUrl) return;
      // The job names the tenant, not its secret: the secret is read when the callback is sent (callback-jobs.ts).
      // In the shape of the standard that created the task (callback-body.ts).
      const payload = taskCallback(callbackUrl, updated, this.deps.urls);
      await enqueueCallback(trx, { taskId: task.id, tenantId: task.tenant_id, payloadJson: JSON.stringify(payload), now: Date.now() });
    });
    if (!written) return (await this.deps.store.byId(task.id)) ?? task;
    this.deps.observer?.transitioned(task, task.status, updated.status);
    if (task.callback_url) this.deps.onEnqueued();
    if (updated.status === 'succeed' || updated.status === 'failed') {
      // A hint to the engine; the task has ended whatever becomes of it.
      await this.engines.get(task.engine)?.ended?.(updated).catch(() => undefined);
    }
    return updated;
  }
}
