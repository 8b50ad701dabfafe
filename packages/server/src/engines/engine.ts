// An engine produces a task's outputs: the simulator renders them, the relay (later) asks an upstream. The task
// runner owns the lifecycle and persistence; an engine only says what the next step of a task is.

import type { AnyFamily, KlingError } from '@kiln/contract';
import type { TaskRow } from '../store/tasks.ts';
import type { Tenant } from '../store/tenants.ts';
import type { StoredResult } from '../tasks/stored-result.ts';

/** A failure that belongs to the task (shown in `task_status_msg`), not to kiln. */
export class TaskFailure extends Error {}

export interface AdmitInput {
  taskId: string;
  tenant: Tenant;
  family: AnyFamily;
  /** The validated request, defaults applied. */
  body: Record<string, any>;
  headers: Record<string, string | string[] | undefined>;
}

export interface StepContext {
  family: AnyFamily;
  /** Real time (ms). An engine with a clock of its own (the simulator's fast-forward) adds to it itself. */
  now: number;
  /** The folder the task's output files go to. */
  outputDir: string;
  /**
   * A local file holding another task's stored output (a `video_id` the request names, a session's video), or
   * undefined when storage holds none. It may be a copy made for this step, removed when the step ends.
   */
  mediaFile: (taskId: string, name: string) => Promise<string | undefined>;
  /** Fetches an input by URL, under the operator's address policy and with a size cap. */
  fetchInput: (url: string, maxBytes: number) => Promise<Buffer>;
  /**
   * Streams a result by URL into `file` (the relay keeping an upstream's output), under the same policy, with limits
   * fit for outputs of gigabytes; a failed download leaves no file.
   */
  fetchOutput: (url: string, file: string, maxBytes: number) => Promise<void>;
}

type StepAction =
  /** Nothing to do before `until` (real time, ms). */
  | { kind: 'wait'; until: number }
  /** Nothing to do until something outside re-enqueues the task. */
  | { kind: 'park' }
  /** The task enters processing. */
  | { kind: 'start' }
  /**
   * Outputs are ready; they stay hidden until the task succeeds. `units`: what the task costs when the engine knows
   * it (the relay: what the upstream billed); otherwise the family's price of what was made.
   */
  | { kind: 'store'; result: StoredResult; units?: number }
  | { kind: 'succeed' }
  | { kind: 'fail'; message: string }
  /** Only the engine state changes (`state` is required); the engine is asked again with the task as written. */
  | { kind: 'save'; state: string };

/**
 * What the runner does next for a task. Any step may carry `state`, the engine's new state for the task (JSON, kept in
 * `engine_json`): the runner writes it first, only over the row the engine was shown (compare-and-swap), and does the
 * step only if that write won. So a state stored before a side effect (the relay's upstream task id, before it sends)
 * is never lost, and a worker holding a stale row does nothing: the engine is asked again with the row as it stands.
 */
export type Step = StepAction & { state?: string };

/** How a task's result URLs misbehave: slowly, or with a 5000 answer. */
export type MediaFault = 'slow' | 'fail';

export interface Engine {
  readonly name: string;
  /**
   * Called at create, before the task is stored: may refuse the request (throws a KlingError) and returns the
   * engine's state for the task (JSON), kept in `engine_json`.
   */
  admit(input: AdmitInput): Promise<string | null>;
  /**
   * The next step of an unfinished task. Throws TaskFailure when the task must fail. Jobs run at least once, so a
   * step may be asked again for the same row (after a crash, or by a second worker): it must not make a second
   * effect a client can see (two results, two upstream tasks); state stored by an earlier step says what was done.
   */
  step(task: TaskRow, context: StepContext): Promise<Step>;
  /** Optional: how the task's result URLs misbehave, when a test asked them to (the simulator). */
  mediaFault?(task: TaskRow): MediaFault | undefined;
  /**
   * Optional: called by the create request once the task is stored, with the validated request, to do the task's
   * first step while the client waits (the relay: the upstream create, so a refusal reaches the client as Kling gave
   * it). Answers the engine's new state to store (then the task's job carries on from it), a refusal (the task is
   * taken back, unbilled, and the client gets the error), or undefined (nothing done: the job does it).
   */
  sendNow?(task: TaskRow, body: Record<string, unknown>): Promise<{ state: string } | { refused: KlingError } | undefined>;
  /**
   * Optional: told once a task of this engine has ended (the end is committed), so the engine can hand on what the
   * task held (the relay: its upstream slots, to the next waiting task). A hint only: a crash before it is harmless.
   */
  ended?(task: TaskRow): Promise<void>;
}
