// Tasks and their jobs. Writes that must stand or fall together (a task and its first job) share a transaction.

import { sql } from 'kysely';
import type { PackType, TaskStatus } from '@kiln/contract';
import type { Db } from './open.ts';
import type { TasksTable } from './schema.ts';

export type TaskRow = TasksTable;

const ACTIVE: TaskStatus[] = ['submitted', 'processing'];

export class SlotsExhausted extends Error {}
export class DuplicateExternalId extends Error {}

/**
 * Inserts a task and its first `advance` job if the tenant's pack has room, atomically: the slot count and the
 * insert happen in one transaction, so two creates racing for the last slot cannot both win.
 */
export async function insertTaskIfAdmitted(db: Db, task: TaskRow, limit: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (task.external_task_id !== null) {
      const existing = await trx.selectFrom('tasks').select('id')
        .where('tenant_id', '=', task.tenant_id).where('external_task_id', '=', task.external_task_id)
        .executeTakeFirst();
      if (existing) throw new DuplicateExternalId(existing.id);
    }
    const { used } = await trx.selectFrom('tasks')
      .select(sql<number>`coalesce(sum(slots), 0)`.as('used'))
      .where('tenant_id', '=', task.tenant_id).where('pack', '=', task.pack).where('status', 'in', ACTIVE)
      .executeTakeFirstOrThrow();
    if (used + task.slots > limit) throw new SlotsExhausted(`${used}/${limit}`);
    await trx.insertInto('tasks').values(task).execute();
    await trx.insertInto('jobs').values({
      kind: 'advance', task_id: task.id, payload_json: null, status: 'pending',
      run_at: task.created_at, locked_until: null, attempts: 0, last_error: null, created_at: task.created_at,
    }).execute();
  });
}

export async function activeSlots(db: Db, tenantId: string, pack: PackType): Promise<number> {
  const row = await db.selectFrom('tasks').select(sql<number>`coalesce(sum(slots), 0)`.as('used'))
    .where('tenant_id', '=', tenantId).where('pack', '=', pack).where('status', 'in', ACTIVE)
    .executeTakeFirstOrThrow();
  return row.used;
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

export async function updateTask(db: Db, id: string, changes: Partial<Omit<TaskRow, 'id'>>): Promise<void> {
  await db.updateTable('tasks').set(changes).where('id', '=', id).execute();
}
