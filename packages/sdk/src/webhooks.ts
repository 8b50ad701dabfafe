// Verifying a callback (spec §1.9, Standard Webhooks): the signature over the raw body, in constant time, with a
// timestamp within ±5 minutes; then the body, parsed without losing long integers, as the task object.

import { parseJsonKeepingBigInts, verifyWebhookSignature, WEBHOOK_TOLERANCE_SECONDS, type NewStandardTask, type TaskObject } from '@kiln/contract';
import { WebhookVerificationError } from './errors.ts';

/** Fetch `Headers`, or Node's `IncomingHttpHeaders` (Express, Fastify, http). */
export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : bag[key];
  return Array.isArray(value) ? value.join(' ') : value;
}

export interface VerifyOptions {
  /** For tests: the time to check the timestamp against, in seconds. */
  nowSeconds?: number;
}

/**
 * Checks a callback and returns the task it carries. `rawBody` must be the exact bytes received (not re-serialised
 * JSON); `secret` is the `whsec_…` webhook secret. Throws WebhookVerificationError when anything does not verify.
 * A task created on the new standard calls back with its record (`id`, `status`, `outputs`…): name that type,
 * `verifyCallback<NewStandardTask>(…)`.
 */
export async function verifyCallback<T extends TaskObject | NewStandardTask = TaskObject>(
  rawBody: string | Uint8Array,
  headers: HeaderBag,
  secret: string,
  options: VerifyOptions = {},
): Promise<T> {
  if (!secret) throw new WebhookVerificationError('no webhook secret given');
  const body = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature header');
  }
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) throw new WebhookVerificationError('webhook-timestamp is not a number of seconds');
  if (Math.abs(now - ts) > WEBHOOK_TOLERANCE_SECONDS) {
    throw new WebhookVerificationError(`webhook-timestamp is more than ${WEBHOOK_TOLERANCE_SECONDS / 60} minutes away from now (replayed or clock skew)`);
  }
  let ok = false;
  try {
    ok = await verifyWebhookSignature(secret, { id, timestamp, signature }, body, now);
  } catch (error) {
    throw new WebhookVerificationError('the webhook secret is not valid Base64 (expected whsec_…)', { cause: error });
  }
  if (!ok) throw new WebhookVerificationError('webhook-signature does not match the body (wrong secret, or the body was changed)');
  let task: unknown;
  try {
    task = parseJsonKeepingBigInts(body);
  } catch (error) {
    throw new WebhookVerificationError('the callback body is not JSON', { cause: error });
  }
  const record = task as Partial<TaskObject & NewStandardTask> | null;
  if (!record || typeof record !== 'object' || (typeof record.task_id !== 'string' && typeof record.id !== 'string')) {
    throw new WebhookVerificationError('the callback body is not a task object');
  }
  return task as T;
}
