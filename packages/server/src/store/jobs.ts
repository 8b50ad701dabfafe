// The job queue of the embedded store: a table in the same SQLite file, so a task and its jobs commit together.
// A worker leases a job (locked_until); a lease that runs out (a crashed worker) makes the job due again.

import { sql } from 'kysely';
import type { Db } from './open.ts';
import type { JobsTable } from './schema.ts';

export type JobKind = 'advance' | 'callback';

export interface Job extends Omit<JobsTable, 'id'> {
  id: number;
}

/** Leases the next due job of a kind, or returns undefined when none is due. */
export async function claimJob(db: Db, kind: JobKind, leaseMs: number, now = Date.now()): Promise<Job | undefined> {
  const row = await sql<Job>`
    UPDATE jobs SET locked_until = ${now + leaseMs}, attempts = attempts + 1
    WHERE id = (
      SELECT id FROM jobs
      WHERE status = 'pending' AND kind = ${kind} AND run_at <= ${now}
        AND (locked_until IS NULL OR locked_until < ${now})
      ORDER BY run_at, id LIMIT 1)
    RETURNING *`.execute(db);
  return row.rows[0];
}

export async function completeJob(db: Db, id: number): Promise<void> {
  await db.deleteFrom('jobs').where('id', '=', id).execute();
}

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

