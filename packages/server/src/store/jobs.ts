// The job queue of the embedded store: a table in the same SQLite file, so a task and its jobs commit together.
// A worker leases a job (locked_until); a lease that runs out (a crashed worker) makes the job due again.

import { sql } from 'kysely';
import type { Db } from './open.ts';
import type { JobsTable, JobsTenantColumns } from './schema.ts';

export type JobKind = 'advance' | 'callback';

export interface Job extends Omit<JobsTable, 'id'>, JobsTenantColumns {
  id: number;
}

export interface ClaimOptions {
  leaseMs: number;
  now?: number;
  /** A tenant holding this many leased jobs of the kind gets no more until one ends (room is kept for others). */
  tenantCap?: number;
}

/**
 * Leases the next due job of a kind, or returns undefined when none is due.
 *
 * Workers are shared fairly between tenants: among due jobs, the tenant with the fewest leased jobs of the kind goes
 * first (then the oldest due job), so one tenant's backlog never starves another's; `tenantCap` bounds what one
 * tenant can hold at all, so slow work of one tenant (a trickling input, a receiver that never answers) cannot fill
 * every worker while another tenant waits.
 *
 * Callbacks of one task are delivered in order: a callback job is due only when no earlier callback job of its task
 * is still pending (queued, retrying or in flight). A later event waits until the earlier one is delivered or dead,
 * so a receiver that keeps the latest status never sees `processing` after `succeed`. Waiting (rather than dropping
 * the earlier event) keeps every event Kling would send; the earlier event's retries bound the wait.
 */
export async function claimJob(db: Db, kind: JobKind, options: ClaimOptions): Promise<Job | undefined> {
  const now = options.now ?? Date.now();
  const cap = options.tenantCap ?? Number.MAX_SAFE_INTEGER;
  const row = await sql<Job>`
    WITH running AS (
      SELECT tenant_id, COUNT(*) AS n FROM jobs
      WHERE status = 'pending' AND kind = ${kind} AND locked_until >= ${now}
      GROUP BY tenant_id)
    UPDATE jobs SET locked_until = ${now + options.leaseMs}, attempts = attempts + 1,
      first_attempt_at = COALESCE(first_attempt_at, ${now})
    WHERE id = (
      SELECT j.id FROM jobs j LEFT JOIN running r ON r.tenant_id IS j.tenant_id
      WHERE j.status = 'pending' AND j.kind = ${kind} AND j.run_at <= ${now}
        AND (j.locked_until IS NULL OR j.locked_until < ${now})
        AND COALESCE(r.n, 0) < ${cap}
        AND (j.kind <> 'callback' OR NOT EXISTS (
          SELECT 1 FROM jobs e WHERE e.task_id = j.task_id AND e.kind = 'callback' AND e.status = 'pending' AND e.id < j.id))
      ORDER BY COALESCE(r.n, 0), j.run_at, j.id LIMIT 1)
    RETURNING *`.execute(db);
  return row.rows[0];
}

export async function completeJob(db: Db, id: number): Promise<void> {
  await db.deleteFrom('jobs').where('id', '=', id).execute();
}

/** A failed attempt: the lease ends now and the job is due again at `runAt`. */
export async function rescheduleJob(db: Db, id: number, runAt: number, error: string | null): Promise<void> {
  await db.updateTable('jobs').set({ run_at: runAt, locked_until: null, last_error: error }).where('id', '=', id).execute();
}

/** Puts a job off until `runAt` without counting the run as a failed attempt. */
export async function snoozeJob(db: Db, id: number, runAt: number): Promise<void> {
  await db.updateTable('jobs').set({ run_at: runAt, locked_until: null, attempts: 0 }).where('id', '=', id).execute();
}

/** Gives up on a job but keeps it, so an operator can see what was not delivered and why. */
export async function buryJob(db: Db, id: number, error: string): Promise<void> {
  await db.updateTable('jobs').set({ status: 'dead', locked_until: null, last_error: error }).where('id', '=', id).execute();
}

/** On start in embedded mode this process is the only worker: leases held by a killed process are void. */
export async function releaseAllLeases(db: Db): Promise<void> {
  await db.updateTable('jobs').set({ locked_until: null }).where('status', '=', 'pending').execute();
}

