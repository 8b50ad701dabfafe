// How the console endpoints show a stored task: a summary for lists, and the detail of the task page (the request as
// sent, the answer a Kling client gets, the status timeline).

import { familyByName, type ConsoleTaskDetail, type ConsoleTaskSummary, type TaskStatus, type TimelineStep } from '@kiln/contract';
import type { TaskRow } from '../store/tasks.ts';
import { toTaskObject, type UrlMaker } from '../tasks/serialize.ts';
import type { StoredResult } from '../tasks/stored-result.ts';
import { readRelayState } from '../engines/relay/relay-state.ts';

export function taskSummary(row: TaskRow): ConsoleTaskSummary {
  const family = familyByName(row.family);
  return {
    task_id: row.id,
    tenant_id: row.tenant_id,
    family: row.family,
    family_title: family?.title ?? row.family,
    path: family?.path ?? '',
    model: row.model,
    status: row.status as TaskStatus,
    status_msg: row.status_msg,
    external_task_id: row.external_task_id,
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    units: Number(row.units),
    duration: row.status === 'succeed' ? durationOf(row) : null,
  };
}

/** The first video's (or audio's) length, as the task's answer states it. */
function durationOf(row: TaskRow): number | null {
  if (!row.result_json) return null;
  const stored = JSON.parse(row.result_json) as StoredResult;
  return stored.videos?.[0]?.seconds ?? stored.audios?.[0]?.seconds ?? null;
}

export function taskDetail(row: TaskRow, urls: UrlMaker): ConsoleTaskDetail {
  return {
    summary: taskSummary(row),
    request: parseRequest(row.request_json),
    answer: toTaskObject(row, urls),
    timeline: timelineOf(row),
    callback_url: row.callback_url,
    engine: row.engine,
    relay: relayOf(row),
  };
}

/** Where a relayed task went upstream, from the relay's own state. */
function relayOf(row: TaskRow): ConsoleTaskDetail['relay'] {
  if (row.engine !== 'relay') return null;
  try {
    const state = readRelayState(row.engine_json);
    return { upstream: state.upstream, upstream_task_id: state.upstreamTaskId ?? null, external_task_id: state.externalId };
  } catch {
    return null;
  }
}

/** Stored requests are the validated body; large Base64 inputs are kept apart and shown as their stored placeholders. */
function parseRequest(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

/** submitted → processing → succeed | failed, with the times the store recorded. */
function timelineOf(row: TaskRow): TimelineStep[] {
  const steps: TimelineStep[] = [{ status: 'submitted', at: Number(row.created_at) }];
  if (row.processing_at !== null) steps.push({ status: 'processing', at: Number(row.processing_at) });
  if (row.status === 'succeed' || row.status === 'failed') steps.push({ status: row.status, at: Number(row.updated_at) });
  return steps;
}
