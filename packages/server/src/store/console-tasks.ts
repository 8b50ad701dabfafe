// Task listings for the console: a tenant's tasks (or every tenant's, for the operator) across every family, newest
// first, filtered by status and family and searched by id or external id, a page at a time.

import type { TaskStatus } from '@kiln/contract';
import { sql } from 'kysely';
import type { Db } from './open.ts';
import type { TaskRow } from './tasks.ts';

export interface TaskFilter {
  /** null: every tenant's (the operator). */
  tenantId: string | null;
  status?: TaskStatus;
  family?: string;
  /** A task id or external id, or the start of one. */
  search?: string;
  pageSize: number;
  /** The cursor of the previous page: the last task shown, as `{created_at}_{task_id}`. */
  before?: { createdAt: number; id: string };
}

/** A LIKE pattern matching text that starts with `prefix`, its wildcards escaped with a backslash (named by ESCAPE). */
const startsWith = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One page of tasks, and whether there are more after it. */
export async function listConsoleTasks(db: Db, filter: TaskFilter): Promise<{ rows: TaskRow[]; more: boolean }> {
  let query = db.selectFrom('tasks').selectAll();
  if (filter.tenantId !== null) query = query.where('tenant_id', '=', filter.tenantId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.family) query = query.where('family', '=', filter.family);
  const search = filter.search;
  if (search) {
    // LIKE with an explicit ESCAPE reads the same on SQLite and PostgreSQL (a range up to a high character does not:
    // PostgreSQL's collations may ignore it). SQLite's LIKE ignores ASCII case: a search may, too.
    const pattern = startsWith(search);
    query = query.where((eb) => eb.or([
      sql<boolean>`${eb.ref('id')} LIKE ${pattern} ESCAPE '\\'`,
      sql<boolean>`${eb.ref('external_task_id')} LIKE ${pattern} ESCAPE '\\'`,
    ]));
  }
  const before = filter.before;
  if (before) {
    query = query.where((eb) => eb.or([
      eb('created_at', '<', before.createdAt),
      eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
    ]));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.pageSize + 1).execute();
  return { rows: rows.slice(0, filter.pageSize), more: rows.length > filter.pageSize };
}

/** A task of any family: the tenant's own, or anyone's for the operator (tenantId null). */
export async function consoleTaskById(db: Db, tenantId: string | null, id: string): Promise<TaskRow | undefined> {
  let query = db.selectFrom('tasks').selectAll().where('id', '=', id);
  if (tenantId !== null) query = query.where('tenant_id', '=', tenantId);
  return query.executeTakeFirst();
}

/** How many tasks each engine holds in each status (the operator's system page). */
export async function taskCounts(db: Db): Promise<{ engine: string; status: string; tasks: number }[]> {
  const rows = await db.selectFrom('tasks').select(['engine', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['engine', 'status']).orderBy('engine').orderBy('status').execute();
  return rows.map((r) => ({ engine: r.engine, status: r.status, tasks: Number(r.n) }));
}
