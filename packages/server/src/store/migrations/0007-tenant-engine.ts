// Migration 7: each tenant names the engine its new tasks go to — `simulator` (development, CI) or `relay` (an
// upstream Kling account) — so one kiln serves both kinds of tenant side by side. Existing tenants keep simulating.

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').addColumn('engine', 'text', (c) => c.notNull().defaultTo('simulator')).execute();
}
