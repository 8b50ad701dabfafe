// The upstreams table (migration 0010): rows as stored, secrets already sealed by the caller (secret-box.ts). Every
// process reads it afresh (the relay caches it briefly), so an upstream added or changed by `kiln upstream` or
// another process is used without a restart.

import type { Db } from './open.ts';
import { unfinishedOn } from './relay-pool.ts';
import type { UpstreamHealthColumns, UpstreamLimitColumns, UpstreamsTable } from './schema.ts';

export type UpstreamRow = UpstreamsTable & UpstreamHealthColumns & UpstreamLimitColumns;

export async function listUpstreamRows(db: Db): Promise<UpstreamRow[]> {
  return db.selectFrom('upstreams').selectAll().orderBy('name').execute();
}

export async function upstreamRow(db: Db, name: string): Promise<UpstreamRow | undefined> {
  return db.selectFrom('upstreams').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Adds the row; false when an upstream of that name exists already (from any process). */
export async function insertUpstream(db: Db, row: UpstreamRow): Promise<boolean> {
  const inserted = await db.insertInto('upstreams').values(row).onConflict((c) => c.column('name').doNothing()).executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Changes columns of an upstream. `updated_at` changes only when given: a change of its settings gives it (a new
 * client is made for it); the relay's breaker and lowered limits do not (engines/relay/breaker.ts, pool-limit.ts).
 */
export async function updateUpstream(db: Db, name: string, changes: Partial<Omit<UpstreamRow, 'name' | 'created_at'>>): Promise<void> {
  await db.updateTable('upstreams').set(changes).where('name', '=', name).execute();
}

/** Whether a relayed task that has not ended is on this upstream (its relay state names it). */
export async function upstreamHasUnfinishedTasks(db: Db, name: string): Promise<boolean> {
  const row = await db.selectFrom('tasks').select('id').where(unfinishedOn(db, name)).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function deleteUpstream(db: Db, name: string): Promise<boolean> {
  const deleted = await db.deleteFrom('upstreams').where('name', '=', name).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}
