// Callbacks: each status change of a task with a `callback_url` becomes a job that POSTs the legacy payload
// (the task object, no envelope; spec §1.9), signed with Standard Webhooks headers when the tenant has a secret.
// A failed delivery is retried with exponential backoff until `giveUpAfterMs`, then kept as a dead job.

import { signWebhook, type TaskObject } from '@kiln/contract';
import type { CallbackPolicy } from '../config.ts';
import { postJson } from '../net/http-post.ts';
import type { Job } from '../store/jobs.ts';
import type { JobOutcome } from '../queue/worker-pool.ts';

export interface CallbackPayload {
  url: string;
  /** Stable across retries of one event: receivers de-duplicate with it. */
  eventId: string;
  /** The exact bytes sent on every attempt. */
  body: string;
  /** The tenant's webhook secret at the time of the event, or null for unsigned callbacks. */
  secret: string | null;
  firstAttemptAt?: number;
}

export function callbackPayload(url: string, task: TaskObject, secret: string | null): CallbackPayload {
  return { url, eventId: `msg_${task.task_id}_${task.task_status}`, body: JSON.stringify(task), secret };
}

export async function deliverCallback(
  job: Job,
  policy: CallbackPolicy,
  allowPrivate: boolean,
  now = Date.now,
): Promise<JobOutcome> {
  const payload = JSON.parse(job.payload_json ?? '{}') as CallbackPayload;
  const firstAttemptAt = job.created_at;
  const headers: Record<string, string> = { 'user-agent': 'kiln-callbacks/1' };
  if (payload.secret) {
    const timestamp = Math.floor(now() / 1000);
    headers['webhook-id'] = payload.eventId;
    headers['webhook-timestamp'] = String(timestamp);
    headers['webhook-signature'] = await signWebhook(payload.secret, payload.eventId, timestamp, payload.body);
  }
  let failure: string;
  try {
    const res = await postJson(payload.url, payload.body, { headers, timeoutMs: policy.timeoutMs, allowPrivate });
    if (res.status >= 200 && res.status < 300) return { done: true };
    failure = `HTTP ${res.status}`;
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === 'PrivateAddressError') return { dead: failure };
  }
  const elapsed = now() - firstAttemptAt;
  if (elapsed >= policy.giveUpAfterMs) return { dead: `gave up after ${job.attempts} attempts: ${failure}` };
  return { retryAt: now() + retryDelay(job.attempts, policy), error: failure };
}

/** Exponential backoff with ±20 % jitter so many failing receivers do not retry in lockstep. */
export function retryDelay(attempt: number, policy: CallbackPolicy): number {
  const base = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempt - 1), policy.maxDelayMs);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
