// The methods every endpoint family gets, typed from its contract definition: create (validated locally, with an
// automatic external_task_id), get, list, listAll, wait, createAndWait and recover.

import {
  checkInlineMedia, isTaskNotFound, KlingError, parsePage, validateCreate,
  type CreatedTask, type FamilyDefinition, type RequestOf, type TaskObject,
} from '@kiln/contract';
import {
  apiError, InvalidRequestError, KlingAbortError, KlingApiError, KlingConnectionError, KlingSdkError, TaskFailedError,
} from './errors.ts';
import type { Poller, WatchOptions } from './poller.ts';
import { familyPath, type ResolvedProvider } from './providers.ts';
import { resolveFileInputs, type WithFileInputs } from './file-inputs.ts';
import type { ResponseInfo, Transport } from './transport.ts';

export type ValidationMode = 'error' | 'warn' | 'off';

export interface ResourceContext {
  transport: Transport;
  poller: Poller;
  provider: ResolvedProvider;
  validation: ValidationMode;
  warn: (message: string) => void;
  /** Makes the external_task_id of a create that has none; false sends none. */
  externalTaskId: false | (() => string);
  waitTimeoutMs: number;
}

/** A task id or external task id, or any object carrying `task_id` (a created or queried task). */
export type TaskRef = string | { task_id: string };

export interface CallOptions {
  signal?: AbortSignal;
  /** Extra headers for this call, e.g. kiln's `X-Kiln-Simulate: fail=1301`. */
  headers?: Record<string, string>;
  /** Called with the answer's HTTP status, headers and request_id (each attempt's, when a read is retried). */
  onResponse?: (response: ResponseInfo) => void;
}

export interface CreateOptions extends CallOptions {
  /** Overrides the client's `validation` for this call. */
  validation?: ValidationMode;
}

export interface WaitOptions extends WatchOptions {
  /** Reject with TaskFailedError when the task fails (default); false resolves with the failed task. */
  throwOnFailure?: boolean;
}

export interface ListOptions extends CallOptions {
  pageNum?: number;
  pageSize?: number;
}

const idOf = (ref: TaskRef) => (typeof ref === 'string' ? ref : ref.task_id);

/** Whether a create that threw may still have made a task. */
function mayExist(error: unknown): boolean {
  if (error instanceof KlingConnectionError || error instanceof KlingAbortError) return error.requestSent;
  if (error instanceof KlingApiError) return !error.local && error.httpStatus >= 500;
  return false;
}

export class FamilyResource<F extends FamilyDefinition<any, any, any, any>> {
  /** The collection path at this client's provider, e.g. `/kling/v1/videos/omni-video`. */
  readonly path: string;

  constructor(readonly family: F, private readonly ctx: ResourceContext) {
    this.path = familyPath(ctx.provider, family.path);
  }

  /** Checks a request as the server would (schema, model, rules); throws InvalidRequestError with its message. */
  validate(params: RequestOf<F>): void {
    try {
      validateCreate(this.family, params);
      // Base64 media: size, format and a PNG's pixels are seen without decoding, so they are checked before sending.
      checkInlineMedia(this.family.request, params);
    } catch (error) {
      if (!(error instanceof KlingError)) throw error;
      throw apiError(error.message, { code: error.code, httpStatus: error.httpStatus, local: true });
    }
  }

  /** Media fields may be given as files (Blob, ArrayBuffer, Buffer; `fileFrom(path)` in Node): sent as Base64. */
  async create(params: WithFileInputs<RequestOf<F>>, options: CreateOptions = {}): Promise<CreatedTask> {
    const body: Record<string, unknown> = { ...(await resolveFileInputs(this.family.request, params) as object) };
    if (!body.external_task_id && this.ctx.externalTaskId) body.external_task_id = this.ctx.externalTaskId();
    const externalTaskId = typeof body.external_task_id === 'string' && body.external_task_id ? body.external_task_id : undefined;
    try {
      const mode = options.validation ?? this.ctx.validation;
      if (mode !== 'off') {
        try {
          this.validate(body as RequestOf<F>);
        } catch (error) {
          if (mode === 'error' || !(error instanceof KlingApiError)) throw error;
          this.ctx.warn(`${this.family.name}: ${error.message} (sent anyway: validation is 'warn')`);
        }
      }
      const answer = await this.ctx.transport.request<CreatedTask>({
        method: 'POST', path: this.path, body, signal: options.signal, headers: options.headers, create: true,
        onResponse: options.onResponse,
      });
      return answer.data;
    } catch (error) {
      if (error instanceof KlingSdkError) {
        error.attachCreate({ taskMayExist: mayExist(error), externalTaskId }, () => this.recover(externalTaskId!));
      }
      throw error;
    }
  }

  /** A task by task_id or external_task_id. */
  async get(ref: TaskRef, options: CallOptions = {}): Promise<TaskObject> {
    const id = idOf(ref);
    if (!id) throw new TypeError('a task id is required');
    const answer = await this.ctx.transport.request<TaskObject>({
      method: 'GET', path: `${this.path}/${encodeURIComponent(id)}`, signal: options.signal, headers: options.headers,
      onResponse: options.onResponse,
    });
    return answer.data;
  }

  /** One page of tasks, newest first (pageNum 1–1000, pageSize 1–500, default 30). */
  async list(options: ListOptions = {}): Promise<TaskObject[]> {
    let page;
    try {
      page = parsePage({
        pageNum: options.pageNum === undefined ? undefined : String(options.pageNum),
        pageSize: options.pageSize === undefined ? undefined : String(options.pageSize),
      });
    } catch (error) {
      if (!(error instanceof KlingError)) throw error;
      throw new InvalidRequestError(`${error.code} ${error.message}`, { code: error.code, httpStatus: error.httpStatus, local: true });
    }
    const answer = await this.ctx.transport.request<TaskObject[]>({
      method: 'GET', path: this.path, query: { pageNum: page.pageNum, pageSize: page.pageSize }, signal: options.signal,
      headers: options.headers, onResponse: options.onResponse,
    });
    return answer.data ?? [];
  }

  /** Every task, page after page. A task that moves to a later page while paging is yielded once. */
  async *listAll(options: Omit<ListOptions, 'pageNum'> = {}): AsyncGenerator<TaskObject, void, undefined> {
    const pageSize = options.pageSize ?? 100;
    const seen = new Set<string>();
    for (let pageNum = 1; pageNum <= 1000; pageNum++) {
      const page = await this.list({ pageNum, pageSize, signal: options.signal });
      for (const task of page) {
        if (seen.has(task.task_id)) continue;
        seen.add(task.task_id);
        yield task;
      }
      if (page.length < pageSize) return;
    }
  }

  /**
   * Resolves when the task is `succeed`; rejects with TaskFailedError when it fails (unless throwOnFailure is
   * false), WaitTimeoutError after `timeoutMs` (the task may still complete), KlingAbortError on abort.
   */
  async wait(ref: TaskRef, options: WaitOptions = {}): Promise<TaskObject> {
    const id = idOf(ref);
    const known = typeof ref === 'object' && 'task_status' in ref ? (ref as TaskObject) : undefined;
    const task = await this.ctx.poller.watch(`${this.ctx.transport.config.baseUrl}${this.path} ${id}`, () => this.get(id), known, {
      ...options,
      timeoutMs: options.timeoutMs ?? this.ctx.waitTimeoutMs,
    });
    if (task.task_status === 'failed' && options.throwOnFailure !== false) throw new TaskFailedError(task);
    return task;
  }

  /** create, then wait. `onUpdate` sees the created task first, so its id is known before any waiting. */
  async createAndWait(params: WithFileInputs<RequestOf<F>>, options: CreateOptions & WaitOptions = {}): Promise<TaskObject> {
    const created = await this.create(params, options);
    return this.wait(created, options);
  }

  /** The task with this external_task_id, or undefined when none exists (after a create whose answer was lost). */
  async recover(externalTaskId: string, options: CallOptions = {}): Promise<TaskObject | undefined> {
    if (!externalTaskId) throw new KlingSdkError('no external_task_id was sent with this create, so the task cannot be looked up');
    try {
      return await this.get(externalTaskId, options);
    } catch (error) {
      if (error instanceof InvalidRequestError && isTaskNotFound(error)) return undefined;
      throw error;
    }
  }
}
