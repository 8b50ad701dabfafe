// The job queue: a table in the store's own database (the SQLite file, or PostgreSQL), so a task and its jobs commit
// together. A worker pool leases a job (locked_until) under its owner id (locked_by) and extends its leases while it
// runs them (heartbeat); a lease that runs out (a crashed or frozen owner) makes the job due again for any pool.
//
// On PostgreSQL the same table serves, claimed with FOR UPDATE SKIP LOCKED, rather than pg-boss: kiln's jobs need
// what pg-boss 10 does not give — enqueueing in the caller's Kysely transaction with the status change it reports
// (the outbox), leases that their owner extends while a render runs and that only expired owners lose, fair
// sharing of workers between tenants (the claim's ORDER BY and tenant cap), and callbacks of one task delivered in
// order. With pg-boss these would be rebuilt around it, and the two dialects would run two different queues.

import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { isPostgres } from './column-types.ts';
import type { Db } from './open.ts';
import type { JobsTable, JobsTenantColumns } from './schema.ts';

export type JobKind = 'advance' | 'callback';

export interface Job extends Omit<JobsTable, 'id'>, JobsTenantColumns {
  id: number;
}

export interface ClaimOptions {
  leaseMs: number;
  /** Who holds the lease: a worker pool's id (see newLeaseOwner). */
  owner?: string;
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
  if (isPostgres(db)) return claimJobPostgres(db, kind, options, now, cap);
  // SQLite runs one write at a time: the UPDATE … WHERE id = (SELECT … LIMIT 1) cannot be raced.
  const row = await sql<Job>`
    WITH running AS (
      SELECT tenant_id, COUNT(*) AS n FROM jobs
      WHERE status = 'pending' AND kind = ${kind} AND locked_until >= ${now}
      GROUP BY tenant_id)
    UPDATE jobs SET locked_until = ${now + options.leaseMs}, locked_by = ${options.owner ?? null}, attempts = attempts + 1,
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

/**
 * The same claim on PostgreSQL, where claims run concurrently: the chosen row is locked with FOR UPDATE SKIP LOCKED,
 * so two workers (of any process) never take one job, and neither waits for the other's choice; the UPDATE also
 * re-checks that the job is still unleased, since a row read before another claim committed may have been taken.
 */
async function claimJobPostgres(db: Db, kind: JobKind, options: ClaimOptions, now: number, cap: number): Promise<Job | undefined> {
  const row = await sql<Job>`
    WITH running AS (
      SELECT tenant_id, COUNT(*) AS n FROM jobs
      WHERE status = 'pending' AND kind = ${kind} AND locked_until >= ${now}
      GROUP BY tenant_id),
    next AS (
      SELECT j.id FROM jobs j LEFT JOIN running r ON r.tenant_id IS NOT DISTINCT FROM j.tenant_id
      WHERE j.status = 'pending' AND j.kind = ${kind} AND j.run_at <= ${now}
        AND (j.locked_until IS NULL OR j.locked_until < ${now})
        AND COALESCE(r.n, 0) < ${cap}
        AND (j.kind <> 'callback' OR NOT EXISTS (
          SELECT 1 FROM jobs e WHERE e.task_id = j.task_id AND e.kind = 'callback' AND e.status = 'pending' AND e.id < j.id))
      ORDER BY COALESCE(r.n, 0), j.run_at, j.id LIMIT 1
      FOR UPDATE OF j SKIP LOCKED)
    UPDATE jobs SET locked_until = ${now + options.leaseMs}, locked_by = ${options.owner ?? null}, attempts = attempts + 1,
      first_attempt_at = COALESCE(first_attempt_at, ${now})
    FROM next WHERE jobs.id = next.id AND jobs.status = 'pending' AND (jobs.locked_until IS NULL OR jobs.locked_until < ${now})
    RETURNING jobs.*`.execute(db);
  return row.rows[0];
}

// The writes that end a run take the job's owner: a pool whose lease ran out and was taken over (it froze longer than
// the lease) writes nothing over the job another pool now runs. Without an owner (tools, tests) they act regardless.

const ownedBy = <Q extends { where: (...args: any[]) => Q }>(query: Q, owner: string | undefined): Q =>
  owner === undefined ? query : query.where('locked_by', '=', owner);

export async function completeJob(db: Db, id: number, owner?: string): Promise<void> {
  await ownedBy(db.deleteFrom('jobs').where('id', '=', id), owner).execute();
}

/** A failed attempt: the lease ends now and the job is due again at `runAt`. */
export async function rescheduleJob(db: Db, id: number, runAt: number, error: string | null, owner?: string): Promise<void> {
  await ownedBy(db.updateTable('jobs').set({ run_at: runAt, locked_until: null, locked_by: null, last_error: error }).where('id', '=', id), owner).execute();
}

/** Puts a job off until `runAt` without counting the run as a failed attempt. */
export async function snoozeJob(db: Db, id: number, runAt: number, owner?: string): Promise<void> {
  await ownedBy(db.updateTable('jobs').set({ run_at: runAt, locked_until: null, locked_by: null, attempts: 0 }).where('id', '=', id), owner).execute();
}

/** Gives up on a job but keeps it, so an operator can see what was not delivered and why. */
export async function buryJob(db: Db, id: number, error: string, owner?: string): Promise<void> {
  await ownedBy(db.updateTable('jobs').set({ status: 'dead', locked_until: null, locked_by: null, last_error: error }).where('id', '=', id), owner).execute();
}

/** Extends every lease the owner holds (its running jobs) to `until`: a long render keeps its job. */
export async function extendLeases(db: Db, owner: string, until: number): Promise<void> {
  await db.updateTable('jobs').set({ locked_until: until })
    .where('locked_by', '=', owner).where('status', '=', 'pending').where('locked_until', 'is not', null).execute();
}

/**
 * A lease owner's id: host, process id and a random part (one per worker pool), so leases are told apart between
 * pools, processes and machines, and a start can tell a dead process of its own machine by its pid.
 */
export function newLeaseOwner(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
}

/** The machine and process a lease owner (newLeaseOwner) names. */
export function parseLeaseOwner(owner: string): { host: string; pid: number } {
  const [host, pid] = owner.split(':');
  return { host, pid: Number(pid) };
}

/**
 * Ends the leases of owners on this machine whose process is gone (a killed server's jobs run again at once on the
 * next start rather than when their leases run out). Leases of live processes, and of other machines, are left to
 * expire: only an owner that stopped renewing its leases loses them.
 */
export async function releaseLeasesOfDeadOwners(db: Db, isAlive: (pid: number) => boolean = processIsAlive): Promise<number> {
  const owners = await db.selectFrom('jobs').select('locked_by').distinct()
    .where('status', '=', 'pending').where('locked_until', 'is not', null).execute();
  const host = os.hostname();
  const dead = owners.map((o) => o.locked_by ?? null).filter((owner) => {
    // A lease without an owner was taken by a release before leases had owners: that process is gone.
    if (owner === null) return true;
    const { host: ownerHost, pid } = parseLeaseOwner(owner);
    // Our own pid in another owner's id is an earlier process that had it (a container restarted as the same pid);
    // this runs before this process's pools claim anything.
    return ownerHost === host && (pid === process.pid || !isAlive(pid));
  });
  if (!dead.length) return 0;
  const res = await db.updateTable('jobs').set({ locked_until: null, locked_by: null })
    .where('status', '=', 'pending').where('locked_until', 'is not', null)
    .where((eb) => {
      const named = dead.filter((o) => o !== null);
      return named.length ? eb.or([eb('locked_by', 'is', null), eb('locked_by', 'in', named)]) : eb('locked_by', 'is', null);
    })
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Queues the delivery of one callback event, inside the transaction that made the status change it reports. */
export async function enqueueCallback(db: Db, job: { taskId: string; tenantId: string; payloadJson: string; now: number }): Promise<void> {
  await db.insertInto('jobs').values({
    kind: 'callback', task_id: job.taskId, tenant_id: job.tenantId, payload_json: job.payloadJson, status: 'pending',
    run_at: job.now, locked_until: null, attempts: 0, last_error: null, created_at: job.now,
  }).execute();
}

export interface QueueStat {
  kind: string;
  /** Jobs waiting or running (dead ones are left out). */
  depth: number;
  /** When the oldest of them was queued (ms), or null when none is. */
  oldestCreatedAt: number | null;
}

/** Depth and oldest job per kind, in one query over the pending jobs (done jobs are deleted). */
export async function queueStats(db: Db): Promise<QueueStat[]> {
  const { rows } = await sql<{ kind: string; depth: number; oldest: number | null }>`
    SELECT kind, COUNT(*) AS depth, MIN(created_at) AS oldest FROM jobs WHERE status = 'pending' GROUP BY kind`.execute(db);
  return rows.map((r) => ({ kind: r.kind, depth: Number(r.depth), oldestCreatedAt: r.oldest === null ? null : Number(r.oldest) }));
}

/** Reads the jobs table once: throws when the queue cannot be read. */
export async function checkQueueReadable(db: Db): Promise<void> {
  await db.selectFrom('jobs').select('id').limit(1).execute();
}

/** The jobs of a task (of one kind, when given), oldest first: done jobs are deleted, so these are the waiting, running and dead ones. */
export async function jobsOf(db: Db, taskId: string, kind?: JobKind): Promise<Job[]> {
  let query = db.selectFrom('jobs').selectAll().where('task_id', '=', taskId);
  if (kind) query = query.where('kind', '=', kind);
  return (await query.orderBy('id').execute()) as Job[];
}

/** Every job not yet done (waiting, running or dead), oldest first. */
export async function allJobs(db: Db): Promise<Job[]> {
  return (await db.selectFrom('jobs').selectAll().orderBy('id').execute()) as Job[];
}

/** Queues an advance job for a task, due at `now`; answers its id. (Creates queue the first one with the task itself.) */
export async function enqueueAdvance(db: Db, job: { taskId: string; tenantId: string | null; now: number }): Promise<number> {
  return Number((await db.insertInto('jobs').values({
    kind: 'advance', task_id: job.taskId, tenant_id: job.tenantId, payload_json: null, status: 'pending',
    run_at: job.now, locked_until: null, attempts: 0, last_error: null, created_at: job.now,
  }).returning('id').executeTakeFirstOrThrow()).id);
}

/** One job by id, or undefined once it is done (done jobs are deleted). */
export async function findJob(db: Db, id: number): Promise<Job | undefined> {
  return (await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()) as Job | undefined;
}
