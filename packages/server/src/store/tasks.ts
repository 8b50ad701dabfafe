// Tasks and their jobs. Writes that must stand or fall together (a task, its slots and its first job; a status
// change, the slots it frees and its callback) share a transaction. The queries on the request path are compiled
// once (prepared.ts).
//
// The embedded store has one writer process (the server, alone on its data directory: data-dir-lock.ts; `kiln
// tenant` never writes tasks), and every task write goes through this class, so rows read by id are kept in a bounded in-process cache, updated after each commit:
// a task poll then costs no SQLite read (measured: the point read was a fifth of a GET's CPU time).

import { sql, type Transaction } from 'kysely';
import { isPostgres } from './column-types.ts';
import type { Db } from './open.ts';
import { param, prepare } from './prepared.ts';
import { ReadBatch } from './read-batch.ts';
import type { Database, TasksTable } from './schema.ts';

export type TaskRow = TasksTable;

export const ACTIVE_STATUSES = ['submitted', 'processing'] as const;
const isActive = (status: string) => (ACTIVE_STATUSES as readonly string[]).includes(status);

export class SlotsExhausted extends Error {}
export class PackDepleted extends Error {}
export class DuplicateExternalId extends Error {
  constructor(readonly externalTaskId: string) {
    super(`external_task_id '${externalTaskId}' is already used`);
  }
}

/**
 * What a create that failed inside its batch is told: a unique violation of the tenant's external ids is a
 * duplicate naming the id it sent; anything else is its own error.
 */
function asRefusal(error: unknown, task: TaskRow): unknown {
  const message = error instanceof Error ? error.message : '';
  // SQLite names the index's columns ("tasks.tenant_id, tasks.external_task_id"), PostgreSQL the index (tasks_external).
  if (task.external_task_id !== null && /external_task_id|tasks_external/.test(message) && /unique|duplicate key/i.test(message)) {
    return new DuplicateExternalId(task.external_task_id);
  }
  // Another unique key is the task id: not the client's doing (ids carry a worker number, so this takes a broken
  // clock or database), answered as an internal error to retry, never as a used external_task_id.
  if (isUniqueViolation(error)) return new Error(`task id ${task.id} is already taken`, { cause: error });
  return error;
}

const usageKey = (task: TaskRow) => `${task.tenant_id}\u0000${task.pack}`;

const isUniqueViolation = (error: unknown) => /UNIQUE constraint|duplicate key/i.test(error instanceof Error ? error.message : '');

const TASK_COLUMNS = [
  'id', 'tenant_id', 'family', 'external_task_id', 'status', 'status_msg', 'model', 'pack', 'slots', 'units', 'engine',
  'request_json', 'result_json', 'callback_url', 'watermark', 'engine_json', 'processing_at', 'time_offset_ms',
  'created_at', 'updated_at',
] as const satisfies readonly (keyof TaskRow)[];

function queries(db: Db) {
  return {
    // By the primary key alone (the tenant and family are checked on the row): with the tenant and family in the
    // query, PostgreSQL before its first ANALYZE of a growing table chose the (tenant, family) index and read every
    // task of the tenant — a GET took 26 ms after 18,000 creates.
    byId: prepare(db.selectFrom('tasks').selectAll().where('id', '=', param('id'))),
    byIds: prepare(db.selectFrom('tasks').selectAll().where(sql<boolean>`id = any(${param('ids')})`)),
    byExternalId: prepare(db.selectFrom('tasks').selectAll()
      .where('tenant_id', '=', param('tenant')).where('external_task_id', '=', param('external')).where('family', '=', param('family'))),
    // Packs of the task's type the tenant has, and how many of them are live with units left.
    packState: prepare(db.selectFrom('resource_packs')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number>(eb.case().when(eb.and([
          eb('effective_time', '<=', param<number>('now')),
          eb('invalid_time', '>', param<number>('now')),
          eb('remaining_quantity', '>', 0),
        ])).then(1).else(0).end()).as('online'),
      ])
      .where('tenant_id', '=', param('tenant')).where('type', '=', param('pack'))),
    takeSlots: prepare(db.updateTable('pack_usage')
      .set((eb) => ({ used: eb('used', '+', param<number>('slots')) }))
      .where('tenant_id', '=', param('tenant')).where('pack', '=', param('pack'))
      .where((eb) => eb(eb('used', '+', param<number>('slots')), '<=', param<number>('limit')))),
    addUsageRow: prepare(db.insertInto('pack_usage').values({ tenant_id: param('tenant'), pack: param('pack'), used: 0 })
      .onConflict((c) => c.columns(['tenant_id', 'pack']).doNothing())),
    deleteTask: prepare(db.deleteFrom('tasks').where('id', '=', param('id'))),
    admitBatch: prepare<{ outcomes: string[] }>(db.selectNoFrom(sql<string[]>`kiln_admit_batch(${param('items')}::jsonb)`.as('outcomes'))),
    insertTask: prepare(db.insertInto('tasks').values(Object.fromEntries(TASK_COLUMNS.map((c) => [c, param(c)])) as any)),
    insertFirstJob: prepare(db.insertInto('jobs').values({
      kind: 'advance', task_id: param('id'), tenant_id: param('tenant_id'), payload_json: null, status: 'pending',
      run_at: param('created_at'), locked_until: null, attempts: 0, last_error: null, created_at: param('created_at'),
    })),
  };
}

const CACHE_ROWS = 20_000;
const DEADLOCK_ATTEMPTS = 3;

interface PendingInsert {
  task: TaskRow;
  limit: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** kiln_admit_batch's word for one create, as admit() answers it. */
function refusalOf(outcome: string, task: TaskRow): unknown {
  if (outcome === 'ok') return undefined;
  if (outcome === 'duplicate') return new DuplicateExternalId(task.external_task_id!);
  if (outcome === 'depleted') return new PackDepleted();
  if (outcome === 'exhausted') return new SlotsExhausted();
  return new Error(`kiln_admit_batch answered '${outcome}' for task ${task.id}`);
}

/** PostgreSQL chose this transaction to end a deadlock (SQLSTATE 40P01): nothing of it was written. */
const isDeadlock = (error: unknown) => (error as { code?: string } | null)?.code === '40P01';

export class TaskStore {
  private readonly q: ReturnType<typeof queries>;
  private readonly cache = new Map<string, TaskRow>();
  private readonly pendingInserts: PendingInsert[] = [];

  /** The row cache needs a single writer: the embedded store's one process (see the top of this file). */
  private readonly cacheRows: boolean;
  private readonly reads: ReadBatch<string, TaskRow>;

  constructor(readonly db: Db) {
    this.q = queries(db);
    this.cacheRows = !isPostgres(db);
    this.reads = new ReadBatch(async (ids) => new Map((await this.q.byIds(this.db, { ids })).rows.map((row) => [row.id, row as TaskRow])));
  }

  private remember(row: TaskRow): void {
    // PostgreSQL is shared by several processes: a row kept here would miss their writes, so nothing is kept.
    if (!this.cacheRows) return;
    this.cache.delete(row.id);
    this.cache.set(row.id, row);
    if (this.cache.size > CACHE_ROWS) this.cache.delete(this.cache.keys().next().value!);
  }

  /**
   * Inserts a task and its first `advance` job if the tenant's pack has room. The slots are taken with one
   * conditional update of the tenant's usage row (`used + slots <= limit`), so creates racing for the last slot —
   * in one process or several sharing a database — cannot both win, and admission costs the same however many
   * tasks the tenant has.
   *
   * Creates that arrive together are written in one transaction (group commit): a commit costs more than the
   * inserts it carries. A create that is refused (1303, duplicate external id) leaves nothing written, so it
   * does not disturb the others in its batch.
   */
  insertIfAdmitted(task: TaskRow, limit: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingInserts.push({ task, limit, resolve, reject });
      if (this.pendingInserts.length === 1) setImmediate(() => void this.flushInserts());
    });
  }

  private async flushInserts(): Promise<void> {
    const batch = this.pendingInserts.splice(0);
    // Several processes' batches commit at once on PostgreSQL: taking the tenants' usage rows in one order keeps two
    // batches from each holding a row the other waits for (a deadlock fails both).
    if (!this.cacheRows) batch.sort((a, b) => usageKey(a.task).localeCompare(usageKey(b.task)));
    let refusals: unknown[];
    try {
      refusals = this.cacheRows ? await this.admitHere(batch) : await this.admitInDatabase(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const refusal = refusals[i];
      if (refusal) return item.reject(refusal);
      this.remember(item.task);
      item.resolve();
    });
  }

  /** The embedded store: the batch's creates one by one in one transaction (SQLite runs them in this process). */
  private async admitHere(batch: PendingInsert[]): Promise<unknown[]> {
    const refusals: unknown[] = [];
    await this.db.transaction().execute(async (trx) => {
      for (const { task, limit } of batch) refusals.push(await this.admit(trx, task, limit));
    });
    return refusals;
  }

  /**
   * PostgreSQL: the whole batch in one call of kiln_admit_batch (migration 0009, the same steps as admit()), one
   * round trip instead of six per create. Batches of several processes lock tenants' usage rows in one order (see
   * flushInserts), and a batch the database still picked as a deadlock victim is run again: it wrote nothing.
   */
  private async admitInDatabase(batch: PendingInsert[]): Promise<unknown[]> {
    const items = JSON.stringify(batch.map(({ task, limit }) => ({ task, limit })));
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await this.q.admitBatch(this.db, { items });
        return (rows[0].outcomes as string[]).map((outcome, i) => refusalOf(outcome, batch[i].task));
      } catch (error) {
        if (!isDeadlock(error) || attempt === DEADLOCK_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * One create inside a batch on the embedded store (SQLite: a failed statement undoes only itself, the batch goes
   * on). A refusal (a used external_task_id, 1102, 1303) is returned, not thrown, and leaves
   * nothing of the create written, so the others in the batch still commit; a failure that is not the create's own
   * (a full disk) is thrown and fails the batch.
   */
  private async admit(trx: Transaction<Database>, task: TaskRow, limit: number): Promise<unknown> {
    const { q } = this;
    // The task row goes first: a used external_task_id is found by the unique index (a read before the insert would
    // let two processes both see the id free) and answered as such (1201) before the pack and slot checks.
    try {
      await q.insertTask(trx, task);
    } catch (error) {
      const refusal = asRefusal(error, task);
      if (refusal === error) throw error;
      return refusal;
    }
    const refusal = await this.takeSlots(trx, task, limit);
    if (refusal) {
      // Refusals are rare next to creates: the row is taken out again rather than every create paying for a savepoint.
      await q.deleteTask(trx, { id: task.id });
      return refusal;
    }
    await q.insertFirstJob(trx, task);
    return undefined;
  }

  private async takeSlots(trx: Transaction<Database>, task: TaskRow, limit: number): Promise<Error | undefined> {
    const { q } = this;
    const packs = (await q.packState(trx, { tenant: task.tenant_id, pack: task.pack, now: task.created_at })).rows[0];
    if (packs && Number(packs.total) > 0 && !Number(packs.online)) return new PackDepleted();
    const usage = { tenant: task.tenant_id, pack: task.pack, slots: task.slots, limit };
    let taken = await q.takeSlots(trx, usage);
    if (Number(taken.numAffectedRows ?? 0) === 0) {
      // The tenant's first task of this pack: make its usage row, then try again.
      await q.addUsageRow(trx, usage);
      taken = await q.takeSlots(trx, usage);
    }
    if (Number(taken.numAffectedRows ?? 0) === 0) return new SlotsExhausted();
    return undefined;
  }

  /** A tenant's task in one family, by task id or, failing that, by external task id. */
  async findForTenant(tenantId: string, family: string, idOrExternal: string): Promise<TaskRow | undefined> {
    const cached = this.cache.get(idOrExternal);
    if (cached) return cached.tenant_id === tenantId && cached.family === family ? cached : this.findByExternalId(tenantId, family, idOrExternal);
    const row = await this.read(idOrExternal);
    return row && row.tenant_id === tenantId && row.family === family ? row : this.findByExternalId(tenantId, family, idOrExternal);
  }

  async findByExternalId(tenantId: string, family: string, externalId: string): Promise<TaskRow | undefined> {
    return (await this.q.byExternalId(this.db, { tenant: tenantId, external: externalId, family })).rows[0];
  }

  /** Newest first. Ordered by time, then id: ids grow from 18 to 19 digits in 2027, so text order alone would break. */
  list(tenantId: string, family: string, pageNum: number, pageSize: number): Promise<TaskRow[]> {
    return this.db.selectFrom('tasks').selectAll()
      .where('tenant_id', '=', tenantId).where('family', '=', family)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((pageNum - 1) * pageSize)
      .execute();
  }

  /** The tenant's unfinished tasks (simulator time control). */
  unfinished(tenantId: string): Promise<TaskRow[]> {
    return this.db.selectFrom('tasks').selectAll()
      .where('tenant_id', '=', tenantId).where('status', 'in', [...ACTIVE_STATUSES]).execute();
  }

  /** Makes the task's advance job due now, creating one if the task has none (a parked task). */
  async wakeTask(taskId: string): Promise<void> {
    const now = Date.now();
    const updated = await this.db.updateTable('jobs').set({ run_at: now })
      .where('task_id', '=', taskId).where('kind', '=', 'advance').where('status', '=', 'pending').executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await this.db.insertInto('jobs').values({
      kind: 'advance', task_id: taskId, tenant_id: (await this.byId(taskId))?.tenant_id ?? null, payload_json: null, status: 'pending',
      run_at: now, locked_until: null, attempts: 0, last_error: null, created_at: now,
    }).execute();
  }

  /**
   * Makes the task's pending advance job due now; a task with none is left alone. A job a worker holds is pending
   * too: its new due time is overwritten when that worker finishes with it, which only costs the early run.
   */
  async wakePending(taskId: string): Promise<void> {
    await this.db.updateTable('jobs').set({ run_at: Date.now() })
      .where('task_id', '=', taskId).where('kind', '=', 'advance').where('status', '=', 'pending').execute();
  }

  /**
   * Takes back a task its engine's first step found refused (the relay: the upstream said no while the client
   * waited): the task, its jobs and its slots, as if it had never been admitted. Nothing was billed (charges come
   * with success). Only a task still submitted is taken back.
   */
  async discardRefused(task: TaskRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const removed = await trx.deleteFrom('tasks').where('id', '=', task.id).where('status', '=', 'submitted').executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) return;
      await trx.deleteFrom('jobs').where('task_id', '=', task.id).execute();
      await trx.updateTable('pack_usage')
        .set((eb) => ({ used: eb('used', '-', task.slots) }))
        .where('tenant_id', '=', task.tenant_id).where('pack', '=', task.pack)
        .execute();
    });
    this.cache.delete(task.id);
  }

  /** The task's pending advance job, if any. */
  pendingAdvance(taskId: string) {
    return this.db.selectFrom('jobs').selectAll()
      .where('task_id', '=', taskId).where('kind', '=', 'advance').where('status', '=', 'pending').executeTakeFirst();
  }

  async update(id: string, changes: Partial<Omit<TaskRow, 'id'>>): Promise<void> {
    await this.db.updateTable('tasks').set(changes).where('id', '=', id).execute();
    const cached = this.cache.get(id);
    if (cached) this.remember({ ...cached, ...changes });
  }

  /**
   * Stores a task's made result (and the units it is billed) if the task is still as the worker read it (same status
   * and updated_at): a worker holding a stale row — another worker or process stored or finished the task meanwhile —
   * writes nothing and gets false, so a result is stored once. The write moves updated_at on, so a second worker
   * that read the same row loses the race.
   */
  async storeResult(before: TaskRow, changes: Pick<TaskRow, 'result_json' | 'units'>): Promise<boolean> {
    return (await this.writeIfUnchanged(before, changes)) !== undefined;
  }

  /**
   * Stores an engine's state for a task (`engine_json`) if the task is still as the engine saw it (same status and
   * updated_at), like storeResult: of two workers holding the same row one wins; the loser writes nothing and gets
   * undefined. Returns the row as written.
   */
  saveEngineState(before: TaskRow, engineJson: string): Promise<TaskRow | undefined> {
    return this.writeIfUnchanged(before, { engine_json: engineJson });
  }

  /** The compare-and-swap of both: writes `changes` only over the row as `before` read it; the row as written. */
  private async writeIfUnchanged(before: TaskRow, changes: Partial<TaskRow>): Promise<TaskRow | undefined> {
    const updated_at = Math.max(Date.now(), before.updated_at + 1);
    const res = await this.db.updateTable('tasks').set({ ...changes, updated_at })
      .where('id', '=', before.id).where('status', '=', before.status).where('updated_at', '=', before.updated_at)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      this.cache.delete(before.id);
      return undefined;
    }
    const after = { ...before, ...changes, updated_at };
    this.remember(after);
    return after;
  }

  async byId(id: string): Promise<TaskRow | undefined> {
    return this.cache.get(id) ?? this.read(id);
  }

  /** A task by id from the database: alone on the embedded store, with the reads arriving with it on PostgreSQL. */
  private async read(id: string): Promise<TaskRow | undefined> {
    if (!this.cacheRows) return this.reads.get(id);
    const row = (await this.q.byId(this.db, { id })).rows[0];
    if (row) this.remember(row);
    return row;
  }

  /**
   * Writes a task's new state, and whatever must go with it (`alongside`, e.g. its callback job), in one
   * transaction. Moving from an unfinished to a finished status frees its slots; the update is conditional on the
   * status it was read with, so a task is released once even if two workers race. Returns false when the task had
   * already moved on.
   */
  async transition(before: TaskRow, after: TaskRow, alongside?: (trx: Transaction<Database>) => Promise<void>): Promise<boolean> {
    const changes = changedColumns(before, after);
    const written = await this.db.transaction().execute(async (trx) => {
      if (!(await writeTransition(trx, before, after, changes))) return false;
      await alongside?.(trx);
      return true;
    });
    const cached = this.cache.get(after.id);
    if (written) this.remember(cached ? { ...cached, ...changes } : after);
    else this.cache.delete(after.id);
    return written;
  }
}

/**
 * The columns a transition changes. Only these are written: a column another writer changed since `before` was read
 * and the transition leaves alone (a simulator control moving the task's clock, from this process or another) is
 * kept rather than written back as it was read.
 */
function changedColumns(before: TaskRow, after: TaskRow): Partial<TaskRow> {
  const changes: Record<string, unknown> = {};
  const was = before as unknown as Record<string, unknown>;
  for (const [column, value] of Object.entries(after)) if (column !== 'id' && value !== was[column]) changes[column] = value;
  return changes as Partial<TaskRow>;
}

async function writeTransition(trx: Transaction<Database>, before: TaskRow, after: TaskRow, changes: Partial<TaskRow>): Promise<boolean> {
  const res = await trx.updateTable('tasks').set({ ...changes, status: after.status }).where('id', '=', after.id).where('status', '=', before.status).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return false;
  if (isActive(before.status) && !isActive(after.status)) {
    await trx.updateTable('pack_usage')
      .set((eb) => ({ used: eb('used', '-', before.slots) }))
      .where('tenant_id', '=', before.tenant_id).where('pack', '=', before.pack)
      .execute();
  }
  return true;
}
