// Migration 2: what several processes on one database need. A leased job names its owner (a worker pool), so a
// start takes over only the leases of owners that are gone; running processes hold a worker number, the part of
// their task ids that keeps two processes' ids apart.

import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('jobs').addColumn('locked_by', 'text').execute();
  await db.schema.createTable('workers')
    .addColumn('number', 'integer', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', t.ms, (c) => c.notNull())
    .execute();
}
