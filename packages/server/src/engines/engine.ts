// An engine produces a task's outputs: the simulator renders them, the relay (later) asks an upstream.

import type { OutputPlan } from '@kiln/contract';
import type { TaskRow } from '../store/tasks.ts';
import type { StoredResult } from '../tasks/stored-result.ts';

export interface EngineContext {
  /** The folder the task's output files go to. */
  outputDir: string;
  /** Fetches an input image by URL, under the operator's address policy. */
  fetchImage: (url: string) => Promise<Buffer>;
  signal?: AbortSignal;
}

/** A failure that belongs to the task (shown in `task_status_msg`), not to kiln. */
export class TaskFailure extends Error {}

export interface Engine {
  readonly name: string;
  /** Produces the outputs the plan asks for; throws TaskFailure when the task must fail. */
  produce(task: TaskRow, plan: OutputPlan, context: EngineContext): Promise<StoredResult>;
}
