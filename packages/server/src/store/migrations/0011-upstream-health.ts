// Migration 11: each upstream's health (engines/relay/breaker.ts) and the pool limits its own 1303s set
// (engines/relay/pool-limit.ts), kept on its row so every process routes around an account that is down or blocked
// and keeps below what it really takes, and operators see why (/admin/upstreams, the console).

import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  // One column per statement: SQLite adds one at a time.
  await db.schema.alterTable('upstreams').addColumn('health_failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('upstreams').addColumn('health_open_until', t.ms).execute();
  await db.schema.alterTable('upstreams').addColumn('health_cooldown_ms', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('upstreams').addColumn('health_reason', 'text').execute();
  // {"video": {"limit": 2, "at": ms}}: per pack type, the lowered limit and when the refusal set it.
  await db.schema.alterTable('upstreams').addColumn('lowered_limits_json', 'text', (c) => c.notNull().defaultTo('{}')).execute();
}
