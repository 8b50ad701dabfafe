// Migration 6: a rotated webhook secret keeps signing for a grace period (Kling documents 7 days), so receivers can
// switch to the new secret without missing a callback: during it, callbacks carry a signature by each secret.

import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('tenants').addColumn('previous_webhook_secret', 'text').execute();
  await db.schema.alterTable('tenants').addColumn('previous_webhook_secret_until', t.ms).execute();
}
