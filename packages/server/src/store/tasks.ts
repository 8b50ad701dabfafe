// Tasks and their jobs. Writes that must stand or fall together (a task, its slots and its first job; a status
// change, the slots it frees and its callback) share a transaction.

import type { PackType } from '@kiln/contract';
import type { Transaction } from 'kysely';
import type { Db } from './open.ts';
import type { Database, TasksTable } from './schema.ts';

export type TaskRow = TasksTable;

export const ACTIVE_STATUSES = ['submitted', 'processing'] as const;

export class SlotsExhausted extends Error {}
export class DuplicateExternalId extends Error {}

/**
 * Inserts a task and its first `advance` job if the tenant's pack has room. The slots are taken with one
 * conditional update of the tenant's usage row (`used + slots <= limit`), so creates racing for the last slot —
 * in one process or several sharing a database — cannot both win, and admission costs the same however many
 * tasks the tenant has.
 */
export async function insertTaskIfAdmitted(db: Db, task: TaskRow, limit: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (task.external_task_id !== null) {
      const existing = await trx.selectFrom('tasks').select('id')
        .where('tenant_id', '=', task.tenant_id).where('external_task_id', '=', task.external_task_id)
        .executeTakeFirst();
      if (existing) throw new DuplicateExternalId(existing.id);
    }
    await trx.insertInto('pack_usage').values({ tenant_id: task.tenant_id, pack: task.pack, used: 0 })
      .onConflict((c) => c.columns(['tenant_id', 'pack']).doNothing()).execute();
    const taken = await trx.updateTable('pack_usage')
      .set((eb) => ({ used: eb('used', '+', task.slots) }))
      .where('tenant_id', '=', task.tenant_id).where('pack', '=', task.pack)
      .where((eb) => eb(eb('used', '+', task.slots), '<=', limit))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) throw new SlotsExhausted();
    await trx.insertInto('tasks').values(task).execute();
    await trx.insertInto('jobs').values({
      kind: 'advance', task_id: task.id, payload_json: null, status: 'pending',
      run_at: task.created_at, locked_until: null, attempts: 0, last_error: null, created_at: task.created_at,
    }).execute();
  });
}

/**
 * Writes a task's new state inside `trx`. Moving from an unfinished to a finished status frees its slots; the
 * update is conditional on the status it was read with, so a task is released once even if two workers race.
 * Returns false when the task had already moved on.
 */
export async function writeTransition(
  trx: Transaction<Database>,
  before: TaskRow,
  after: TaskRow,
): Promise<boolean> {
  const { id, ...columns } = after;
  const res = await trx.updateTable('tasks').set(columns).where('id', '=', id).where('status', '=', before.status).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return false;
  const wasActive = (ACTIVE_STATUSES as readonly string[]).includes(before.status);
  const isActive = (ACTIVE_STATUSES as readonly string[]).includes(after.status);
  if (wasActive && !isActive) {
    await trx.updateTable('pack_usage')
      .set((eb) => ({ used: eb('used', '-', before.slots) }))
      .where('tenant_id', '=', before.tenant_id).where('pack', '=', before.pack)
      .execute();
  }
  return true;
}

export async function activeSlots(db: Db, tenantId: string, pack: PackType): Promise<number> {
  const row = await db.selectFrom('pack_usage').select('used')
    .where('tenant_id', '=', tenantId).where('pack', '=', pack).executeTakeFirst();
  return row?.used ?? 0;
}

export async function taskById(db: Db, id: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A tenant's task in one family, by task id or, failing that, by external task id. */
export async function findTenantTask(db: Db, tenantId: string, family: string, idOrExternal: string): Promise<TaskRow | undefined> {
  const byId = await db.selectFrom('tasks').selectAll()
    .where('id', '=', idOrExternal).where('tenant_id', '=', tenantId).where('family', '=', family)
    .executeTakeFirst();
  return byId ?? findByExternalId(db, tenantId, family, idOrExternal);
}

export async function findByExternalId(db: Db, tenantId: string, family: string, externalId: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll()
    .where('tenant_id', '=', tenantId).where('external_task_id', '=', externalId).where('family', '=', family)
    .executeTakeFirst();
}

/** Newest first. Ordered by time, then id: ids grow from 18 to 19 digits in 2027, so text order alone would break. */
export async function listTenantTasks(db: Db, tenantId: string, family: string, pageNum: number, pageSize: number): Promise<TaskRow[]> {
  return db.selectFrom('tasks').selectAll()
    .where('tenant_id', '=', tenantId).where('family', '=', family)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((pageNum - 1) * pageSize)
    .execute();
}
