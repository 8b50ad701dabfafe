// `client.tasks`: the new standard's task queries (spec new-standard.md §5), which read tasks of both standards —
// `get(ids)` batches of up to 20 ids per request and reports the ids nothing answered, `list()` walks the cursor
// pages, `wait()` polls one task to its end.

import {
  LEGACY_STATUS, newStandardPath, TASK_QUERY_LIMITS, type NewStandardStatus, type NewStandardTask, type ProductType, type TaskObject,
} from '@kiln/contract';
import { KlingAbortError, KlingSdkError } from './errors.ts';
import type { CallOptions, ResourceContext } from './family-resource.ts';
import type { PollPolicy } from './poller.ts';

export interface TasksContext extends ResourceContext {
  poll: PollPolicy;
}

export interface TasksGetOptions extends CallOptions {
  /** What the ids are: Kling's task ids (default) or your external_task_ids. */
  by?: 'task_ids' | 'external_task_ids';
}

export interface TasksGetResult {
  /** The tasks found, in the order asked. */
  tasks: NewStandardTask[];
  /** The ids nothing answered: unknown, or another account's. */
  missing: string[];
}

export interface TaskListQuery extends CallOptions {
  /** Creation window, Unix ms (default: the last 30 days). */
  startTime?: number;
  endTime?: number;
  /** Tasks per request, 1–500 (default 100). */
  limit?: number;
  status?: NewStandardStatus[];
  productType?: ProductType[];
}

export interface TaskPage {
  result: NewStandardTask[];
  count: number;
  next_cursor: string;
  has_more: boolean;
}

export interface TaskWaitOptions extends CallOptions {
  timeoutMs?: number;
  onUpdate?: (task: NewStandardTask) => void;
  /** Reject with NewStandardTaskFailedError when the task fails (default); false resolves with it. */
  throwOnFailure?: boolean;
}

/** A task ended `failed`; `task.message` says why. Failed tasks are not billed. */
export class NewStandardTaskFailedError extends KlingSdkError {
  constructor(readonly task: NewStandardTask) {
    super(`task ${task.id} failed: ${task.message || 'no reason given'}`);
  }
}

/** The task did not end within the wait; it may still complete. */
export class NewStandardWaitTimeoutError extends KlingSdkError {
  constructor(readonly task: NewStandardTask | undefined, readonly timeoutMs: number) {
    super(`task ${task?.id ?? ''} is still ${task?.status ?? 'unknown'} after ${Math.round(timeoutMs / 1000)} s; it may still complete`);
  }
}

export class TasksResource {
  constructor(private readonly ctx: TasksContext) {}

  private get path(): string {
    return newStandardPath(this.ctx.provider.style, '/tasks', this.ctx.provider.endpoint);
  }

  /** Tasks by id (or external id), 20 per request as the API allows; ids that match nothing are listed in `missing`. */
  async get(ids: string | readonly string[], options: TasksGetOptions = {}): Promise<TasksGetResult> {
    const by = options.by ?? 'task_ids';
    const wanted = [...new Set((typeof ids === 'string' ? [ids] : ids).filter((id) => id !== ''))];
    const found = new Map<string, NewStandardTask>();
    for (let i = 0; i < wanted.length; i += TASK_QUERY_LIMITS.maxIds) {
      const chunk = wanted.slice(i, i + TASK_QUERY_LIMITS.maxIds);
      const answer = await this.ctx.transport.request<NewStandardTask[]>({
        method: 'GET', path: this.path, query: { [by]: chunk.join(',') }, signal: options.signal, headers: options.headers,
      });
      for (const task of answer.data ?? []) found.set(by === 'task_ids' ? task.id : task.external_id ?? '', task);
    }
    return { tasks: wanted.flatMap((id) => found.get(id) ?? []), missing: wanted.filter((id) => !found.has(id)) };
  }

  /** One task, or undefined when none has this id (or external id). */
  async getOne(id: string, options: TasksGetOptions = {}): Promise<NewStandardTask | undefined> {
    return (await this.get(id, options)).tasks[0];
  }

  /** One page of `POST /tasks`; pass the previous page's `next_cursor` for the next. */
  async page(query: TaskListQuery & { cursor?: string } = {}): Promise<TaskPage> {
    const filters = [
      ...(query.status?.length ? [{ key: 'status', values: query.status }] : []),
      ...(query.productType?.length ? [{ key: 'product_type', values: query.productType }] : []),
    ];
    const body = {
      ...(query.startTime !== undefined ? { start_time: query.startTime } : {}),
      ...(query.endTime !== undefined ? { end_time: query.endTime } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(filters.length ? { filters } : {}),
    };
    const answer = await this.ctx.transport.request<Partial<TaskPage>>({
      method: 'POST', path: this.path, body, signal: query.signal, headers: query.headers,
    });
    // An empty page comes without `result` and `next_cursor` (as live Kling answers).
    const data = answer.data ?? {};
    return { result: data.result ?? [], count: data.count ?? 0, next_cursor: data.next_cursor ?? '', has_more: data.has_more === true };
  }

  /** Every task of the window, newest first, page after page (each task once, even while tasks are created). */
  async *list(query: TaskListQuery = {}): AsyncGenerator<NewStandardTask, void, undefined> {
    let cursor = '';
    for (;;) {
      const page = await this.page({ ...query, cursor });
      yield* page.result;
      if (!page.has_more || !page.next_cursor) return;
      cursor = page.next_cursor;
    }
  }

  /** Polls a task (of either standard) until it is `succeeded` or `failed`. */
  async wait(ref: string | { id: string }, options: TaskWaitOptions = {}): Promise<NewStandardTask> {
    const id = typeof ref === 'string' ? ref : ref.id;
    const timeoutMs = options.timeoutMs ?? this.ctx.waitTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const { intervalMs, maxIntervalMs, factor } = this.ctx.poll;
    let interval = intervalMs;
    let last: NewStandardTask | undefined;
    for (;;) {
      if (options.signal?.aborted) throw new KlingAbortError(options.signal.reason);
      last = await this.getOne(id, options);
      if (!last) throw new KlingSdkError(`task ${id} was not found`);
      options.onUpdate?.(last);
      if (last.status === 'succeeded') return last;
      if (last.status === 'failed') {
        if (options.throwOnFailure === false) return last;
        throw new NewStandardTaskFailedError(last);
      }
      if (Date.now() + interval > deadline) throw new NewStandardWaitTimeoutError(last, timeoutMs);
      await sleep(interval, options.signal);
      interval = Math.min(maxIntervalMs, Math.round(interval * factor));
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(new KlingAbortError(signal?.reason)); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A new-standard record as the legacy task object: the same files, URLs and lengths under the legacy names, for code
 * written against `task_result` (downloads, `taskOutputs`, a relay archiving an upstream's results).
 */
export function asTaskObject(task: NewStandardTask): TaskObject {
  const videos = task.outputs.flatMap((o) => (o.type === 'video' ? [{ id: o.id, url: o.url, duration: o.duration, ...(o.watermark_url ? { watermark_url: o.watermark_url } : {}) }] : []));
  const images = task.outputs.flatMap((o) => (o.type === 'image' ? [o] : [])).map((o, index) => ({ index, url: o.url, ...(o.watermark_url ? { watermark_url: o.watermark_url } : {}) }));
  const audios = task.outputs.flatMap((o) => (o.type === 'audio' ? [{ id: o.id, url_mp3: o.mp3_url, url_wav: o.wav_url, duration_mp3: o.mp3_duration, duration_wav: o.wav_duration }] : []));
  return {
    task_id: task.id,
    task_status: LEGACY_STATUS[task.status],
    task_status_msg: task.message,
    task_info: { external_task_id: task.external_id ?? null },
    task_result: { ...(videos.length ? { videos } : {}), ...(images.length ? { images } : {}), ...(audios.length ? { audios } : {}) },
    ...(task.billing[0] ? { final_unit_deduction: task.billing[0].amount } : {}),
    created_at: task.create_time,
    updated_at: task.update_time,
  };
}
