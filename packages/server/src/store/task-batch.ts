// The new standard's task queries (spec new-standard.md §5.1–5.2): a tenant's tasks by up to 20 ids or external
// ids at once, and a keyset page of its tasks of every family, newest first. Another tenant's ids match nothing.

import type { Db } from './open.ts';
import type { TaskRow } from './tasks.ts';

/** The tenant's tasks among `ids` (task ids or external task ids), in no particular order. */
export function tasksByIds(db: Db, tenantId: string, by: 'id' | 'external_task_id', ids: readonly string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('tasks').selectAll().where('tenant_id', '=', tenantId).where(by, 'in', [...ids]).execute();
}

export interface TaskPageQuery {
  /** Creation window, ms, inclusive. */
  startTime: number;
  endTime: number;
  limit: number;
  /** Stored statuses (legacy spelling) and packs to keep; all when absent. */
  statuses?: readonly string[];
  packs?: readonly string[];
  /** The last task of the previous page: this page starts after it. */
  after?: { createdAt: number; id: string };
}

/**
 * Up to `limit` tasks, newest first (creation time, then id). The page starts strictly after the previous page's last
 * task, by value rather than by offset, so tasks created while a client pages (newer than its window) neither shift
 * nor repeat what it reads.
 */
export function taskPage(db: Db, tenantId: string, q: TaskPageQuery): Promise<TaskRow[]> {
  let query = db.selectFrom('tasks').selectAll()
    .where('tenant_id', '=', tenantId)
    .where('created_at', '>=', q.startTime).where('created_at', '<=', q.endTime);
  if (q.statuses) query = query.where('status', 'in', [...q.statuses]);
  if (q.packs) query = query.where('pack', 'in', [...q.packs]);
  const after = q.after;
  if (after) {
    // Ids of one millisecond have the same length (18 digits until 2027), so text order is numeric order there.
    query = query.where((eb) => eb.or([
      eb('created_at', '<', after.createdAt),
      eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
    ]));
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}
