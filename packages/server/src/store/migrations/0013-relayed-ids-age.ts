// Migration 13: relayed ids by age, for the retention sweep that forgets those past the period (an indexed range
// instead of reading the whole table every hour).

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('relayed_ids_created_at').on('relayed_ids').column('created_at').execute();
}
