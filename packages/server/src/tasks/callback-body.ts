// What a task's callback carries: the task in the shape of the standard that created it — the legacy task object
// (spec §1.9), or the new standard's record (new-standard.md §6, element media as `materials[]`). One event id per
// status change either way, so receivers de-duplicate retries the same way.

import { familyByName, isNewStandard } from '@kiln/contract';
import { callbackPayload, type CallbackPayload } from '../callbacks/callback-jobs.ts';
import type { TaskRow } from '../store/tasks.ts';
import { toTaskObject, type UrlMaker } from './serialize.ts';
import { toNewStandardTask } from './serialize-new-standard.ts';

export function taskCallback(url: string, row: TaskRow, urls: UrlMaker): CallbackPayload {
  const family = familyByName(row.family);
  if (!family || !isNewStandard(family)) return callbackPayload(url, toTaskObject(row, urls));
  const record = toNewStandardTask(row, urls, { for: 'callback' });
  return { url, eventId: `msg_${row.id}_${row.status}`, body: JSON.stringify(record) };
}
