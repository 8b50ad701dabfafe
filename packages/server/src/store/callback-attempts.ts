// Callback delivery attempts, one row per POST kiln made to a receiver (events, their retries, replays and tests),
// so a tenant sees what was sent and what came back, and can replay an event with its webhook-id.

import type { CallbackAttempt, CallbackTrigger } from '@kiln/contract';
import type { Db } from './open.ts';
import type { CallbackAttemptsTable } from './schema.ts';

export type NewCallbackAttempt = Omit<CallbackAttemptsTable, 'id'> & { trigger: CallbackTrigger };

/** Attempts kept per task in listings: a receiver down for days is retried often, and the newest tell the story. */
const LISTED_PER_TASK = 200;

export async function recordCallbackAttempt(db: Db, attempt: NewCallbackAttempt): Promise<void> {
  await db.insertInto('callback_attempts').values(attempt).execute();
}

/** A task's attempts, newest first. `tenantId` scopes them to one tenant (null: the operator sees any). */
export async function callbackAttemptsOf(db: Db, tenantId: string | null, taskId: string): Promise<CallbackAttempt[]> {
  let query = db.selectFrom('callback_attempts').selectAll().where('task_id', '=', taskId);
  if (tenantId !== null) query = query.where('tenant_id', '=', tenantId);
  const rows = await query.orderBy('id', 'desc').limit(LISTED_PER_TASK).execute();
  return rows.map(shown);
}

/** The tenant's latest attempts over all its tasks (and tests), newest first. */
export async function recentCallbackAttempts(db: Db, tenantId: string, limit: number): Promise<CallbackAttempt[]> {
  const rows = await db.selectFrom('callback_attempts').selectAll().where('tenant_id', '=', tenantId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(shown);
}

/** One attempt of the tenant's, by id. */
export async function callbackAttemptById(db: Db, tenantId: string, id: number): Promise<CallbackAttempt | undefined> {
  const row = await db.selectFrom('callback_attempts').selectAll().where('id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirst();
  return row && shown(row);
}

/** When the tenant last sent a test callback (ms), for its rate limit. */
export async function lastTestCallbackAt(db: Db, tenantId: string): Promise<number | null> {
  const row = await db.selectFrom('callback_attempts').select((eb) => eb.fn.max('attempted_at').as('last'))
    .where('tenant_id', '=', tenantId).where('trigger', '=', 'test').executeTakeFirst();
  return row?.last == null ? null : Number(row.last);
}

function shown(row: Omit<CallbackAttemptsTable, 'id'> & { id: number }): CallbackAttempt {
  return {
    id: Number(row.id),
    task_id: row.task_id,
    event_id: row.event_id,
    trigger: row.trigger as CallbackTrigger,
    url: row.url,
    attempted_at: Number(row.attempted_at),
    latency_ms: Number(row.latency_ms),
    http_status: row.http_status === null ? null : Number(row.http_status),
    error: row.error,
    signature: row.signature,
    body: row.body,
  };
}
