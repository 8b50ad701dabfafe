// How a failure reaches the user: one message on stderr (with what to do next when a task may still exist or
// may still finish) and an exit code per kind of failure, so scripts can tell them apart:
//   2 invalid input (flags, and 1200/1201 whether found locally or by the server)   3 any other API error, and an
//   unknown task (live Kling answers it with 1201, but nothing in the input was malformed)
//   4 the task failed   5 waiting timed out   1 anything else (network, disk)   130 interrupted (Ctrl-C)

import { InvalidArgumentError } from 'commander';
import {
  InvalidRequestError, KlingAbortError, KlingApiError, KlingSdkError, TaskFailedError, WaitTimeoutError,
} from '@kiln/sdk';
import { isTaskNotFound } from '@kiln/sdk/contract';
import { EXIT } from '../exit-codes.ts';

export const EXIT_INTERRUPTED = 130;

/** Thrown by a command once it has reported a failure: main exits with `exitCode` and prints nothing more. */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CliExit';
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof InvalidArgumentError) return EXIT.invalidInput;
  if (error instanceof InvalidRequestError && (error.code === 1200 || error.code === 1201) && !isTaskNotFound(error)) {
    return EXIT.invalidInput;
  }
  if (error instanceof TaskFailedError) return EXIT.taskFailed;
  if (error instanceof WaitTimeoutError) return EXIT.timeout;
  if (error instanceof KlingAbortError) return EXIT_INTERRUPTED;
  if (error instanceof KlingApiError) return EXIT.apiError;
  return EXIT.failure;
}

export interface FailureContext {
  familyName?: string;
}

/** Prints the failure to stderr and returns the CliExit to throw. */
export function report(error: unknown, context: FailureContext = {}): CliExit {
  const say = (line: string) => process.stderr.write(`kiln: ${line}\n`);
  const family = context.familyName ? ` --family ${context.familyName}` : '';
  if (error instanceof WaitTimeoutError) {
    say(error.message);
    say(`wait again with: kiln tasks wait ${error.task.task_id}${family}`);
  } else if (error instanceof TaskFailedError) {
    say(error.message);
  } else if (error instanceof KlingAbortError) {
    say('interrupted');
  } else if (error instanceof KlingSdkError) {
    const requestId = error instanceof KlingApiError && error.requestId ? ` (request_id ${error.requestId})` : '';
    say(`${error.message}${requestId}`);
    if (error.taskMayExist && error.externalTaskId) say(`look for it with: kiln tasks get ${error.externalTaskId}${family}`);
  } else {
    say(error instanceof Error ? error.message : String(error));
  }
  return new CliExit(exitCodeFor(error));
}
