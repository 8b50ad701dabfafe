// Migration 4: what the console needs. Signed-in browser sessions (a cookie names one; the row says who it is and
// which credential it was minted from, so revoking that credential ends it), and every callback delivery attempt,
// so a tenant sees what its receiver was sent and answered, and can replay it.

import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.createTable('console_sessions')
    // The SHA-256 of the cookie's value: a copy of the database does not hold usable sessions.
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    // tenant | operator
    .addColumn('role', 'text', (c) => c.notNull())
    // The tenant signed in; null for the operator.
    .addColumn('tenant_id', 'text')
    // api_key | access_key | admin_token: how the session was minted, and `credential` identifies that credential
    // as the store looks it up (an API key's SHA-256, the access key, the admin token's SHA-256).
    .addColumn('credential_kind', 'text', (c) => c.notNull())
    .addColumn('credential', 'text', (c) => c.notNull())
    .addColumn('created_at', t.ms, (c) => c.notNull())
    .addColumn('expires_at', t.ms, (c) => c.notNull())
    .execute();

  await db.schema.createTable('callback_attempts')
    .addColumn('id', t.serialId.type, (c) => (t.serialId.autoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    // The Standard Webhooks `webhook-id`: one per event, the same on every retry and replay of it.
    .addColumn('event_id', 'text', (c) => c.notNull())
    // event | replay | test
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('attempted_at', t.ms, (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    // The receiver's HTTP status, or null when there was none (then `error` says why).
    .addColumn('http_status', 'integer')
    .addColumn('error', 'text')
    .addColumn('signature', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX callback_attempts_task ON callback_attempts (task_id, id)`.execute(db);
}
