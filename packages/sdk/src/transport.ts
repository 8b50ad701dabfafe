// One HTTP exchange with a Kling API, retried where that can never double-bill: reads are retried on network
// errors, 429 and 5xx; a create only when the connection was never made. Answers are unwrapped from Kling's
// envelope; errors become the SDK's classes with code, HTTP status, request_id and Retry-After.

import { parseJsonKeepingBigInts } from '@kiln/contract';
import type { CredentialSource } from './credentials.ts';
import type { Log } from './log.ts';
import { apiError, AuthenticationError, KlingAbortError, KlingApiError, KlingConnectionError } from './errors.ts';
import { backoffDelay, isRetryableApiError, parseRetryAfter, sleep, type RetryPolicy } from './retry.ts';

export interface TransportConfig {
  baseUrl: string;
  credentials: CredentialSource;
  retry: RetryPolicy;
  /** Per attempt, from sending to the end of the answer's body. */
  timeoutMs: number;
  fetch: typeof fetch;
  headers: Record<string, string>;
  /** The client's log (log.ts); silent when absent. */
  log?: Log;
  /** Called with every answer the client receives (ClientOptions.onResponse). */
  onResponse?: (response: ResponseInfo) => void;
}

/** What an answer carried besides its data: for `onResponse` (per client or per call) and the debug log. */
export interface ResponseInfo {
  method: string;
  /** The path called, without host or query string. */
  path: string;
  httpStatus: number;
  /** Kling's request_id: the envelope's, else the X-Request-Id header. */
  requestId?: string;
  headers: Headers;
  /** From sending to the end of the answer's body, for this attempt. */
  durationMs: number;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Added to this request's headers (e.g. kiln's `X-Kiln-Simulate`). */
  headers?: Record<string, string>;
  /** A create: never re-sent once it may have reached the server. */
  create?: boolean;
  /** Called with every answer this call receives (each attempt's, when a read is retried). */
  onResponse?: (response: ResponseInfo) => void;
}

export interface ApiAnswer<T> {
  data: T;
  requestId?: string;
  httpStatus: number;
}

// Failures while connecting: the server cannot have seen the request, so even a create may be retried.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCodes(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 4) return [];
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown[] };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const nested = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])].flatMap((c) => errorCodes(c, depth + 1));
  return [...own, ...nested];
}

export function neverSent(error: unknown): boolean {
  const codes = errorCodes(error);
  return codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c));
}

function describe(error: unknown): string {
  const codes = errorCodes(error);
  const message = error instanceof Error ? error.message : String(error);
  return codes.length ? `${message} (${[...new Set(codes)].join(', ')})` : message;
}

export class Transport {
  constructor(readonly config: TransportConfig) {}

  url(path: string, query?: RequestSpec['query']): string {
    const url = new URL(this.config.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  async request<T>(spec: RequestSpec): Promise<ApiAnswer<T>> {
    const { retry } = this.config;
    let attempt = 0;
    let renewed = false;
    for (;;) {
      if (spec.signal?.aborted) throw new KlingAbortError(spec.signal.reason, false);
      let outcome: ApiAnswer<T> | KlingApiError;
      try {
        outcome = await this.once<T>(spec);
      } catch (error) {
        const retryable = error instanceof KlingConnectionError && (!spec.create || !error.requestSent);
        if (!retryable || attempt >= retry.maxRetries) throw error;
        const delay = backoffDelay(attempt++, retry);
        this.config.log?.info(`retrying ${spec.method} ${spec.path} in ${Math.round(delay)} ms: ${(error as Error).message}`);
        await sleep(delay, spec.signal);
        continue;
      }
      if (!(outcome instanceof KlingApiError)) return outcome;
      // An auth rejection happens before the body is read, so even a create is safe to send again, once.
      if (outcome instanceof AuthenticationError && (outcome.code === 1003 || outcome.code === 1004) && !renewed) {
        renewed = true;
        if (this.config.credentials.renew((outcome as ApiErrorWithDate).serverDateMs)) continue;
      }
      if (spec.create || !isRetryableApiError(outcome) || attempt >= retry.maxRetries) throw outcome;
      const delay = outcome.retryAfterMs ?? backoffDelay(attempt, retry);
      if (delay > retry.maxRetryAfterMs) throw outcome;
      attempt++;
      this.config.log?.info(`retrying ${spec.method} ${spec.path} in ${Math.round(delay)} ms: ${outcome.httpStatus} ${outcome.message}`);
      await sleep(delay, spec.signal);
    }
  }

  /** One attempt: an answer, an API error (returned, for the retry loop to judge), or a thrown failure. */
  private async once<T>(spec: RequestSpec): Promise<ApiAnswer<T> | KlingApiError> {
    const authorization = await this.config.credentials.authorization();
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    const fail = (error: unknown, sent: boolean): never => {
      if (spec.signal?.aborted) throw new KlingAbortError(spec.signal.reason, sent);
      if (timeout.aborted) throw new KlingConnectionError(`no answer within ${this.config.timeoutMs} ms`, sent, error);
      throw new KlingConnectionError(`connection failed: ${describe(error)}`, sent, error);
    };
    const started = Date.now();
    let response: Response;
    try {
      response = await this.config.fetch(this.url(spec.path, spec.query), {
        method: spec.method,
        headers: {
          ...this.config.headers,
          ...spec.headers,
          authorization,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
      });
    } catch (error) {
      return fail(error, !neverSent(error));
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return fail(error, true);
    }
    const outcome = this.interpret<T>(response, text);
    this.observe(spec, {
      method: spec.method, path: spec.path, httpStatus: response.status, requestId: outcome.requestId,
      headers: response.headers, durationMs: Date.now() - started,
    });
    return outcome;
  }

  private observe(spec: RequestSpec, info: ResponseInfo): void {
    this.config.log?.debug(`${info.method} ${info.path} ${info.httpStatus} in ${info.durationMs} ms`
      + (info.requestId ? ` (request_id ${info.requestId})` : ''));
    this.config.onResponse?.(info);
    spec.onResponse?.(info);
  }

  private interpret<T>(response: Response, text: string): ApiAnswer<T> | KlingApiError {
    let json: any;
    try {
      json = text ? parseJsonKeepingBigInts(text) : undefined;
    } catch {
      json = undefined;
    }
    const envelope = json && typeof json === 'object' && typeof json.code === 'number' ? json : undefined;
    const requestId: string | undefined = envelope?.request_id || response.headers.get('x-request-id') || undefined;
    if (response.ok && envelope?.code === 0) return { data: envelope.data as T, requestId, httpStatus: response.status };
    const message = envelope?.message || (response.ok ? 'the answer is not a Kling envelope' : text.trim().slice(0, 300) || response.statusText);
    const error = apiError(String(message), {
      code: envelope?.code,
      httpStatus: response.ok && !envelope ? 502 : response.status,
      requestId,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    });
    const date = Date.parse(response.headers.get('date') ?? '');
    if (!Number.isNaN(date)) (error as ApiErrorWithDate).serverDateMs = date;
    return error;
  }
}

type ApiErrorWithDate = KlingApiError & { serverDateMs?: number };
