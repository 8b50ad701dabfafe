// Migration 8: the unfinished tasks of an engine and pack type, found without reading finished ones — the relay asks
// this on every step of a task that waits for an upstream slot (relay-pool.ts).

import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX tasks_active ON tasks (engine, pack, created_at) WHERE status IN ('submitted', 'processing')`.execute(db);
}
