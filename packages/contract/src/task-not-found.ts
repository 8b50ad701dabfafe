// What live Kling answers when a task cannot be found — an unknown task id, an unknown external_task_id (in the
// path or as `?external_task_id=`), or another account's task: HTTP 400, code 1201, this exact message. The error
// table's 1203 is not what the live API sends, and clients recognise "not found" by the message.

import { KlingError } from './errors.ts';

export const TASK_NOT_FOUND_CODE = 1201;

const PREFIX = 'Task not found by id/external id: ';

export const taskNotFoundMessage = (idOrExternalId: string) => PREFIX + idOrExternalId;

export const taskNotFound = (idOrExternalId: string) => new KlingError(TASK_NOT_FOUND_CODE, taskNotFoundMessage(idOrExternalId));

/** Whether an error answer says "no such task": live Kling's 1201 with this message (also when a client has put
 *  the code in front of it), or the error table's 1203 that some gateways (and earlier kiln versions) send. */
export function isTaskNotFound(answer: { code?: number; message?: string }): boolean {
  if (answer.code === 1203) return true;
  return answer.code === TASK_NOT_FOUND_CODE && typeof answer.message === 'string' && answer.message.includes(PREFIX);
}
