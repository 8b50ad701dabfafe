// What an upstream's failed answer means to the relay: for the account's breaker (outcomeOf), for failover (madeNothing:
// no upstream task can exist), for the pool's limit (isBusy), for asking again later (mayRetry), for the client
// (requestRefusal), and in words.

import { blocksAccount, isRetryableCode, KLING_CODES, KlingError } from '@kiln/contract';
import { InvalidRequestError, KlingApiError, KlingConnectionError } from '@kiln/sdk';
import type { UpstreamOutcome } from './breaker.ts';

/** What an upstream's failure says about the account, for its breaker; nothing for errors of kiln's own making. */
export function outcomeOf(error: unknown): UpstreamOutcome | undefined {
  if (error instanceof KlingConnectionError) return { kind: 'unreachable', reason: error.message };
  if (!(error instanceof KlingApiError)) return undefined;
  const reason = error.code === undefined ? `HTTP ${error.httpStatus} ${error.message}` : withCode(error);
  if (error.code !== undefined && blocksAccount(error.code)) return { kind: 'account', reason };
  // Not Kling's envelope (a proxy's error page), or Kling's own internal errors: the account did not handle it.
  if (error.code === undefined || error.httpStatus >= 500) return { kind: 'unreachable', reason };
  // Refused for the request's sake (1201, 1301, 1303, ...): the account works.
  return { kind: 'handled' };
}

/** Whether the failed create certainly made no upstream task: never connected, or refused for the account's sake. */
export function madeNothing(error: unknown): boolean {
  if (error instanceof KlingConnectionError) return !error.requestSent;
  return error instanceof KlingApiError && error.code !== undefined && blocksAccount(error.code);
}

/** The error's message led by its Kling code, once (the SDK's messages may already start with it). */
export function withCode(error: KlingApiError): string {
  return error.code === undefined || error.message.startsWith(`${error.code} `) ? error.message : `${error.code} ${error.message}`;
}

/** The upstream refused for want of room (1303) or of request rate (1302): not the task's fault nor the account's. */
export function isBusy(error: unknown): boolean {
  // The contract's passing rate limits: 1302 and 1303 (1304, the IP allowlist, blocks the account instead).
  return error instanceof KlingApiError && error.code !== undefined && isRetryableCode(error.code) && KLING_CODES[error.code].category === 'rate';
}

/** A failure after which the task may or may not exist upstream, or the upstream said "not now": ask again later. */
export function mayRetry(error: unknown): boolean {
  if (error instanceof KlingConnectionError) return true;
  if (error instanceof InvalidRequestError) return false;
  if (!(error instanceof KlingApiError)) return false;
  // No Kling code: the answer was not Kling's envelope (a proxy's error page), so nothing is known of the task.
  // Codes the contract marks retryable (1302, 1303, 5000–5002) say "not now" rather than "no".
  return error.code === undefined || isRetryableCode(error.code) || error.httpStatus >= 500 || error.httpStatus === 429;
}

/**
 * The upstream's refusal of the request itself (1201, 1301, …), for the client as Kling gave it (its message without
 * the code and hints the SDK adds); undefined for anything about the account (busy, blocked, a refused key) or no
 * answer at all, which are kiln's to handle: the tenant's own account is fine.
 */
export function requestRefusal(error: unknown): KlingError | undefined {
  if (!(error instanceof KlingApiError) || error.code === undefined) return undefined;
  return outcomeOf(error)?.kind === 'handled' && !isBusy(error) ? new KlingError(error.code, error.serverMessage) : undefined;
}
