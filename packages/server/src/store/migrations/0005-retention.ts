// Migration 5: the retention sweep. A finished task whose results and inputs were purged is stamped, so each is
// purged once (the stamp is taken by compare-and-swap before its objects are removed) and the sweep's query reads
// only tasks not yet purged.

import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('tasks').addColumn('purged_at', t.ms).execute();
  await sql`CREATE INDEX tasks_retention ON tasks (updated_at) WHERE purged_at IS NULL`.execute(db);
}
