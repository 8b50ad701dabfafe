// Callbacks: each status change of a task with a `callback_url` becomes a job that POSTs the legacy payload
// (the task object, no envelope; spec §1.9), signed with Standard Webhooks headers when the tenant has a secret.
// A failed delivery is retried with exponential backoff until `giveUpAfterMs`, then kept as a dead job.
// The secret is stored once, with the tenant: each attempt reads it, so a rotated secret applies to retries.

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
  /** Set on a replay queued from the console (the event's own jobs leave it out). */
  trigger?: 'replay';
}

export function callbackPayload(url: string, task: TaskObject): CallbackPayload {
  return { url, eventId: `msg_${task.task_id}_${task.task_status}`, body: JSON.stringify(task) };
}

/**
 * The secrets that sign the tenant's callbacks as they are now: none when its callbacks are unsigned, two while a
 * rotated secret is in its grace period (store/webhook-secrets.ts).
 */
export type SecretOf = (tenantId: string) => Promise<string[]>;

/** What one POST to a receiver was and what came back (kept for the console: store/callback-attempts.ts). */
export interface AttemptReport {
  payload: CallbackPayload;
  attemptedAt: number;
  latencyMs: number;
  httpStatus: number | null;
  error: string | null;
  signature: string | null;
  /** The URL leads to a loopback or private address the operator does not allow: retrying cannot help. */
  privateAddress: boolean;
}
export type AttemptRecorder = (job: Job, report: AttemptReport) => Promise<void>;

export async function deliverCallback(
  job: Job,
  policy: CallbackPolicy,
  allowPrivate: boolean,
  secretOf: SecretOf,
  onAttempt: AttemptRecorder = async () => {},
  now = Date.now,
): Promise<JobOutcome> {
  const payload = JSON.parse(job.payload_json ?? '{}') as CallbackPayload;
  // The retry window starts at the first attempt: an event that waited for an earlier one of its task (delivered in
  // order, see claimJob) still gets its full window.
  const firstAttemptAt = job.first_attempt_at ?? job.created_at;
  const secrets = job.tenant_id ? await secretOf(job.tenant_id) : [];
  const report = await sendOnce(payload, secrets, policy.timeoutMs, allowPrivate, now);
  // A recorder that cannot write must not turn a delivered callback into a retried one: the report is bookkeeping.
  await onAttempt(job, report).catch(() => {});
  const status = report.httpStatus;
  if (status !== null && status >= 200 && status < 300) return { done: true };
  const failure = status !== null ? `HTTP ${status}` : report.error ?? 'no answer';
  if (report.privateAddress) return { dead: failure };
  const elapsed = now() - firstAttemptAt;
  if (elapsed >= policy.giveUpAfterMs) return { dead: `gave up after ${job.attempts} attempts: ${failure}` };
  return { retryAt: now() + retryDelay(job.attempts, policy), error: failure };
}

/** POSTs a payload once, signed with each secret given (none: unsigned), and reports what happened. */
export async function sendOnce(
  payload: CallbackPayload,
  secrets: string[],
  timeoutMs: number,
  allowPrivate: boolean,
  now: () => number = Date.now,
): Promise<AttemptReport> {
  const headers: Record<string, string> = { 'user-agent': 'kiln-callbacks/1' };
  if (secrets.length > 0) {
    const timestamp = Math.floor(now() / 1000);
    headers['webhook-id'] = payload.eventId;
    headers['webhook-timestamp'] = String(timestamp);
    // Standard Webhooks: several signatures, space-separated; a receiver holding either secret verifies one.
    const signatures = await Promise.all(secrets.map((secret) => signWebhook(secret, payload.eventId, timestamp, payload.body)));
    headers['webhook-signature'] = signatures.join(' ');
  }
  const attemptedAt = now();
  const report = { payload, attemptedAt, signature: headers['webhook-signature'] ?? null, privateAddress: false };
  try {
    const res = await postJson(payload.url, payload.body, { headers, timeoutMs, allowPrivate });
    return { ...report, latencyMs: now() - attemptedAt, httpStatus: res.status, error: null };
  } catch (error) {
    const privateAddress = error instanceof Error && error.name === 'PrivateAddressError';
    const message = error instanceof Error ? error.message : String(error);
    return { ...report, latencyMs: now() - attemptedAt, httpStatus: null, error: message, privateAddress };
  }
}

/** Exponential backoff with ±20 % jitter so many failing receivers do not retry in lockstep. */
export function retryDelay(attempt: number, policy: CallbackPolicy): number {
  const base = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempt - 1), policy.maxDelayMs);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
