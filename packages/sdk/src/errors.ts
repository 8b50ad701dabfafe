// The errors the SDK throws: one class per family of Kling codes (spec §1.7, by the contract's categories), and
// the client-side failures (connection, abort, wait timeout, failed task, webhook verification). Every error a
// create throws says whether the task may exist and can `recover()` it by its external_task_id.

import { KLING_CODES, type TaskObject } from '@kiln/contract';

/** What a failed create knows about the task it tried to make. */
export interface CreateFailure {
  /** True when the request may have reached the server, so a task may exist (and may be billed). */
  taskMayExist: boolean;
  /** The external_task_id sent with the create (generated unless the caller gave one or turned that off). */
  externalTaskId?: string;
}

export class KlingSdkError extends Error {
  /** Set on errors thrown by `create`: see CreateFailure. */
  taskMayExist?: boolean;
  externalTaskId?: string;
  private recoverFn?: () => Promise<TaskObject | undefined>;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Marks this error as a create failure; used by the SDK. */
  attachCreate(failure: CreateFailure, recover: () => Promise<TaskObject | undefined>): this {
    this.taskMayExist = failure.taskMayExist;
    this.externalTaskId = failure.externalTaskId;
    this.recoverFn = recover;
    const hint = !failure.taskMayExist
      ? ' — no task was created'
      : failure.externalTaskId
        ? ` — the task may exist: recover() looks it up by external_task_id '${failure.externalTaskId}'`
        : ' — the task may exist (no external_task_id was sent, so it cannot be looked up)';
    if (!this.message.includes(hint)) this.message += hint;
    return this;
  }

  /** For create failures: the task, found by its external_task_id, or undefined when it does not exist. */
  async recover(): Promise<TaskObject | undefined> {
    if (!this.recoverFn) throw new KlingSdkError('recover() is only available on errors thrown by create');
    return this.recoverFn();
  }
}

export interface ApiErrorDetails {
  code?: number;
  httpStatus: number;
  requestId?: string;
  retryAfterMs?: number;
  /** True when the SDK refused the request itself (validation), without sending it. */
  local?: boolean;
  /** The message as given, before the SDK adds the code in front (apiError sets it). */
  serverMessage?: string;
}

/** The API answered with an error (or the SDK refused a request the API would refuse). */
export class KlingApiError extends KlingSdkError {
  readonly code?: number;
  readonly httpStatus: number;
  readonly requestId?: string;
  /** From `Retry-After`, when the server sent it. */
  readonly retryAfterMs?: number;
  readonly local: boolean;
  /** The message as the server (or local validation) gave it: without the code and the SDK's hints in `message`. */
  readonly serverMessage: string;

  constructor(message: string, details: ApiErrorDetails) {
    super(message);
    this.serverMessage = details.serverMessage ?? message;
    this.code = details.code;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.local = details.local ?? false;
  }
}

/** 1000–1004: credentials missing, invalid, not yet valid or expired. */
export class AuthenticationError extends KlingApiError {}
/** 1100–1103: account suspended, in arrears, resource pack used up, or no access to the API/model. */
export class AccountError extends KlingApiError {}
/** 1200–1203: malformed body, invalid parameter, wrong method, unknown task or model. */
export class InvalidRequestError extends KlingApiError {}
/** 1300–1301: platform or content-security policy. */
export class PolicyError extends KlingApiError {}
/** 1302–1304: request rate, concurrency over the resource pack's limit, IP whitelist. */
export class RateLimitError extends KlingApiError {}
/** 5000–5002 and other 5xx: Kling's side; retried for reads. */
export class ServerError extends KlingApiError {}

const byCategory: Record<string, typeof KlingApiError> = {
  auth: AuthenticationError,
  account: AccountError,
  parameters: InvalidRequestError,
  policy: PolicyError,
  rate: RateLimitError,
  server: ServerError,
};

function byHttpStatus(status: number): typeof KlingApiError {
  if (status === 401) return AuthenticationError;
  if (status === 403) return AccountError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  if (status >= 400) return InvalidRequestError;
  return ServerError;
}

/** The error class for a Kling code (by its category), falling back to the HTTP status for unknown codes. */
export function apiError(message: string, details: ApiErrorDetails): KlingApiError {
  const info = details.code !== undefined ? KLING_CODES[details.code] : undefined;
  const Class = (info && byCategory[info.category]) || byHttpStatus(details.httpStatus);
  const prefix = details.code !== undefined ? `${details.code} ` : `HTTP ${details.httpStatus} `;
  return new Class(`${prefix}${message}`, { ...details, serverMessage: message });
}

/** No complete answer arrived: refused connection, reset, timeout, or a body cut short. */
export class KlingConnectionError extends KlingSdkError {
  /** False only when the connection was never made, so the server cannot have seen the request. */
  readonly requestSent: boolean;
  constructor(message: string, requestSent: boolean, cause?: unknown) {
    super(message, { cause });
    this.requestSent = requestSent;
  }
}

/** The caller's AbortSignal fired. `cause` is the signal's reason. Named AbortError like the platform's. */
export class KlingAbortError extends KlingSdkError {
  /** For an aborted request: whether it may have reached the server first. */
  readonly requestSent: boolean;
  constructor(reason?: unknown, requestSent = false) {
    super('the operation was aborted', { cause: reason });
    this.name = 'AbortError';
    this.requestSent = requestSent;
  }
}

/** Waiting ran out of time. The task was not cancelled: it may still complete. */
export class WaitTimeoutError extends KlingSdkError {
  constructor(readonly task: TaskObject, readonly timeoutMs: number) {
    super(
      `task ${task.task_id} is still ${task.task_status} after ${Math.round(timeoutMs / 1000)} s; ` +
        'it was not cancelled and may still complete — query it later with get()',
    );
  }
}

/** The task ended `failed`; `task.task_status_msg` says why. Failed tasks are not billed. */
export class TaskFailedError extends KlingSdkError {
  constructor(readonly task: TaskObject) {
    super(`task ${task.task_id} failed${task.task_status_msg ? `: ${task.task_status_msg}` : ''}`);
  }
}

/** A callback whose signature, timestamp or body does not verify. */
export class WebhookVerificationError extends KlingSdkError {}
