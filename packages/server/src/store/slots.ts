// Concurrency slots a tenant's unfinished tasks hold, per pack type, as the store counts them (tasks.ts takes and
// frees them): what an operator or a test reads to see that every ended task gave its slots back.

import type { Db } from './open.ts';

export async function slotsHeld(db: Db, tenantId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('pack_usage').select(['pack', 'used']).where('tenant_id', '=', tenantId).execute();
  return Object.fromEntries(rows.map((r) => [r.pack, Number(r.used)]));
}
