// Migration 11: each upstream's health (engines/relay/breaker.ts), kept on its row so every process routes around an
// account that is down or blocked, and operators see why (/admin/upstreams, the console).

import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  // One column per statement: SQLite adds one at a time.
  await db.schema.alterTable('upstreams').addColumn('health_failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('upstreams').addColumn('health_open_until', t.ms).execute();
  await db.schema.alterTable('upstreams').addColumn('health_cooldown_ms', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('upstreams').addColumn('health_reason', 'text').execute();
}
