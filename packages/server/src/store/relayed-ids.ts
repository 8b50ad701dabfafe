// Ids a relay tenant's synchronous calls got from an upstream account (migration 0012): an editing session opened by
// identify-face or init-selection, a TTS audio, an element of the old elements API. Only that account knows the id,
// so what later names it goes there. A tenant sees only its own: another tenant's id reads as unknown.

import type { Db } from './open.ts';
import type { RelayedIdsTable } from './schema.ts';

export type RelayedId = RelayedIdsTable;
export type RelayedKind = 'session' | 'audio' | 'element';
/** Kinds that stop being nameable after a while (a session expires, an audio is past retention); an element is forgotten when deleted. */
const PERISHABLE: readonly RelayedKind[] = ['session', 'audio'];

/** Records an id the upstream gave; recording it again (a retried call) changes nothing. */
export async function rememberRelayedId(db: Db, row: Omit<RelayedId, 'detail_json'> & { detail?: unknown }): Promise<void> {
  const { detail, ...rest } = row;
  await db.insertInto('relayed_ids').values({ ...rest, detail_json: JSON.stringify(detail ?? {}) })
    .onConflict((c) => c.columns(['tenant_id', 'kind', 'id']).doNothing()).execute();
}

/** The tenant's relayed id of that kind, made after `since` (ms), or undefined. */
export async function findRelayedId(db: Db, tenantId: string, kind: RelayedKind, id: string, since = 0): Promise<RelayedId | undefined> {
  return db.selectFrom('relayed_ids').selectAll()
    .where('tenant_id', '=', tenantId).where('kind', '=', kind).where('id', '=', id).where('created_at', '>', since)
    .executeTakeFirst();
}

/** Forgets one id (an element deleted through the relay): nothing names it any more. */
export async function forgetRelayedId(db: Db, tenantId: string, kind: RelayedKind, id: string): Promise<void> {
  await db.deleteFrom('relayed_ids').where('tenant_id', '=', tenantId).where('kind', '=', kind).where('id', '=', id).execute();
}

/**
 * Forgets the session and audio ids recorded before `cutoff` (the retention period): a session is long expired by
 * then, and an audio id past the period can no longer be named (references.ts), so nothing asks for them again.
 * Elements are kept for as long as the tenant has them (a delete forgets one). How many were forgotten.
 */
export async function forgetRelayedIdsBefore(db: Db, cutoff: number): Promise<number> {
  const result = await db.deleteFrom('relayed_ids').where('created_at', '<', cutoff).where('kind', 'in', PERISHABLE).executeTakeFirst();
  return Number(result.numDeletedRows);
}
