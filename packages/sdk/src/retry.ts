// When and how long to wait before trying again: jittered exponential backoff, `Retry-After`, and sleeps that
// end early when the caller aborts.

import { isRetryableCode, KLING_CODES } from '@kiln/contract';
import { KlingAbortError, KlingApiError } from './errors.ts';

export interface RetryPolicy {
  /** Retries after the first attempt (reads, and creates that never reached the server). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited out: the error is thrown with `retryAfterMs`. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

/** "Equal jitter": half the exponential delay, plus a random part up to the other half, so clients spread out. */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/** `Retry-After: <seconds>` or `Retry-After: <HTTP date>`, in milliseconds from now. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Whether to send the request again: a Kling code says so by the contract's error table (rate, concurrency and
 * Kling's internal errors pass; account states and the IP whitelist do not); an unknown code in Kling's server
 * range, or an answer without a code, by its HTTP status.
 */
export function isRetryableApiError(error: KlingApiError): boolean {
  if (error.local) return false;
  if (error.code !== undefined && error.code !== 0 && KLING_CODES[error.code]) return isRetryableCode(error.code);
  if (error.code !== undefined && error.code !== 0 && !(error.code >= 5000 && error.code < 6000)) return false;
  return error.httpStatus === 408 || error.httpStatus === 429 || error.httpStatus >= 500;
}

/** Resolves after `ms`, or rejects with KlingAbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new KlingAbortError(signal.reason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new KlingAbortError(signal!.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
