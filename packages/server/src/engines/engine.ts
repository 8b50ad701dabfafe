// An engine produces a task's outputs: the simulator renders them, the relay (later) asks an upstream. The task
// runner owns the lifecycle and persistence; an engine only says what the next step of a task is.

import type { AnyFamily } from '@kiln/contract';
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
  /** The task's clock: real time plus any fast-forward applied to the task (ms). */
  now: number;
  /** The folder the task's output files go to. */
  outputDir: string;
  /** The file of another task's output (a `video_id` the request names), or undefined when there is none. */
  mediaFile: (taskId: string, name: string) => string | undefined;
  /** Fetches an input by URL, under the operator's address policy and with a size cap. */
  fetchInput: (url: string, maxBytes: number) => Promise<Buffer>;
}

export type Step =
  /** Nothing to do before `until` (task clock). */
  | { kind: 'wait'; until: number }
  /** Nothing to do until something outside re-enqueues the task. */
  | { kind: 'park' }
  /** The task enters processing. */
  | { kind: 'start' }
  /** Outputs are ready; they stay hidden until the task succeeds. */
  | { kind: 'store'; result: StoredResult }
  | { kind: 'succeed' }
  | { kind: 'fail'; message: string };

export interface Engine {
  readonly name: string;
  /**
   * Called at create, before the task is stored: may refuse the request (throws a KlingError) and returns the
   * engine's state for the task (JSON), kept in `engine_json`.
   */
  admit(input: AdmitInput): Promise<string | null>;
  /** The next step of an unfinished task. Throws TaskFailure when the task must fail. */
  step(task: TaskRow, context: StepContext): Promise<Step>;
  /** How the task's result URLs misbehave, when a test asked them to. */
  mediaFault?(task: TaskRow): 'slow' | 'fail' | undefined;
}
