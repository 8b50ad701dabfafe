// An upstream account's concurrency, as the relay's tasks use it. A relayed task holds slots of its upstream pool
// from the moment it may exist upstream (phase `sending`) until it ends; before that it waits (phase `new`). Both are
// read from the tasks themselves (their engine state), so nothing is held that a crash could leak: a task that ends
// frees its slots in the same commit that ends it.
//
// Waiting tasks go in turn, fair between tenants: a tenant's waiting tasks are numbered oldest first, after the
// tasks it already has upstream, and the lowest number goes next. A tenant with three hundred tasks waiting does not
// hold back another's one, and one with many upstream lets the others catch up. Between equal numbers, the tenant
// served longest ago goes first (the newest send of its tasks upstream; one being sent counts as now, a tenant with
// nothing upstream as never), then the oldest task: so two tenants with as much upstream alternate, whichever of
// their tasks the relay happened to see end first.

import { sql } from 'kysely';
import { isPostgres } from './column-types.ts';
import type { Db } from './open.ts';

export interface PoolQuestion {
  upstream: string;
  pack: string;
  taskId: string;
}

export interface PoolAnswer {
  /** Slots held by the pool's tasks that may exist upstream. */
  held: number;
  /** Of those, the slots of tasks the upstream has accepted (phase `sent`): what kiln surely holds there. */
  accepted: number;
  /** Slots wanted by the waiting tasks whose turn comes before this one's. */
  ahead: number;
  /** The waiting task whose turn is next, when it is not this one. */
  next?: string;
}

/** A field of a relayed task's engine state (relay-state.ts), in SQL. */
function stateField(db: Db, name: string) {
  return isPostgres(db) ? sql`(engine_json::json ->> ${name})` : sql`json_extract(engine_json, ${`$.${name}`})`;
}

/** A numeric field of a relayed task's engine state, in SQL (NULL when absent). */
function numericStateField(db: Db, name: string) {
  return isPostgres(db) ? sql`(${stateField(db, name)}::bigint)` : stateField(db, name);
}

/** Later than any send: a task being sent right now has no `sentAt` yet, and makes its tenant the last served. */
const SENDING_NOW = Number.MAX_SAFE_INTEGER;

/** The relayed tasks on an upstream that have not ended (of one pack type, when given). */
export function unfinishedOn(db: Db, upstream: string, pack?: string) {
  return sql<boolean>`engine = 'relay' ${pack === undefined ? sql`` : sql`AND pack = ${pack}`} AND status IN ('submitted', 'processing') AND ${stateField(db, 'upstream')} = ${upstream}`;
}

export async function relayPoolState(db: Db, q: PoolQuestion): Promise<PoolAnswer> {
  const field = (name: string) => stateField(db, name);
  const pool = unfinishedOn(db, q.upstream, q.pack);
  const { rows } = await sql<{ held: number | string | null; accepted: number | string | null; ahead: number | string | null; next: string | null }>`
    WITH holding AS (
      SELECT tenant_id, COUNT(*) AS tasks, MAX(COALESCE(${numericStateField(db, 'sentAt')}, ${SENDING_NOW})) AS served_at
      FROM tasks WHERE ${pool} AND ${field('phase')} IN ('sending', 'sent') GROUP BY tenant_id
    ), turns AS (
      SELECT t.id, t.slots, t.created_at, COALESCE(h.served_at, 0) AS served_at,
        COALESCE(h.tasks, 0) + ROW_NUMBER() OVER (PARTITION BY t.tenant_id ORDER BY t.created_at, t.id) AS turn
      FROM tasks t LEFT JOIN holding h ON h.tenant_id = t.tenant_id
      WHERE ${pool} AND ${field('phase')} = 'new'
    ), waiting AS (
      SELECT id, slots, ROW_NUMBER() OVER (ORDER BY turn, served_at, created_at, id) AS place FROM turns
    )
    SELECT
      (SELECT SUM(slots) FROM tasks WHERE ${pool} AND ${field('phase')} IN ('sending', 'sent')) AS held,
      (SELECT SUM(slots) FROM tasks WHERE ${pool} AND ${field('phase')} = 'sent') AS accepted,
      (SELECT SUM(w.slots) FROM waiting w, waiting me WHERE me.id = ${q.taskId} AND w.place < me.place) AS ahead,
      (SELECT w.id FROM waiting w ORDER BY w.place LIMIT 1) AS next`.execute(db);
  const row = rows[0];
  const next = row?.next ?? undefined;
  return {
    held: Number(row?.held ?? 0), accepted: Number(row?.accepted ?? 0), ahead: Number(row?.ahead ?? 0),
    ...(next !== undefined && next !== q.taskId ? { next } : {}),
  };
}

/**
 * An upstream pool's slots in use (tasks that may exist upstream) and wanted by tasks waiting their turn: how full it
 * is, for routing (routing.ts) and the console.
 */
export async function relayPoolUse(db: Db, upstream: string, pack: string): Promise<{ held: number; waiting: number }> {
  const phase = stateField(db, 'phase');
  const { rows } = await sql<{ held: number | string | null; waiting: number | string | null }>`
    SELECT SUM(CASE WHEN ${phase} = 'new' THEN 0 ELSE slots END) AS held, SUM(CASE WHEN ${phase} = 'new' THEN slots ELSE 0 END) AS waiting
    FROM tasks WHERE ${unfinishedOn(db, upstream, pack)}`.execute(db);
  return { held: Number(rows[0]?.held ?? 0), waiting: Number(rows[0]?.waiting ?? 0) };
}

/** How an upstream's relayed tasks ended since `since` (ms): its error rate, as the operator's console shows it. */
export async function relayOutcomes(db: Db, upstream: string, since: number): Promise<{ succeeded: number; failed: number }> {
  const { rows } = await sql<{ status: string; n: number | string }>`
    SELECT status, COUNT(*) AS n FROM tasks
    WHERE engine = 'relay' AND status IN ('succeed', 'failed') AND updated_at >= ${since} AND ${stateField(db, 'upstream')} = ${upstream}
    GROUP BY status`.execute(db);
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { succeeded: count('succeed'), failed: count('failed') };
}
