// The job queue shares workers fairly between tenants and delivers one task's callbacks in order.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimJob } from './jobs.ts';
import { openSqliteStore, type Db } from './open.ts';

let db: Db;
let dir: string;
const NOW = 1_800_000_000_000;
const LEASE = 60_000;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-jobs-'));
  db = await openSqliteStore(dir);
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function addJob(tenant: string, task: string, kind: 'advance' | 'callback', runAt: number, payload: string | null = null) {
  const row = await db.insertInto('jobs').values({
    kind, task_id: task, tenant_id: tenant, payload_json: payload, status: 'pending',
    run_at: runAt, locked_until: null, attempts: 0, last_error: null, created_at: runAt,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

describe('claimJob shares workers between tenants', () => {
  it('gives the next worker to the tenant with the fewest running jobs, not to the oldest backlog', async () => {
    for (let i = 0; i < 10; i++) await addJob('tenant-a', `a${i}`, 'advance', NOW - 10_000 + i);
    await addJob('tenant-b', 'b0', 'advance', NOW - 1);
    const first = await claimJob(db, 'advance', { leaseMs: LEASE, now: NOW });
    const second = await claimJob(db, 'advance', { leaseMs: LEASE, now: NOW });
    // A's oldest job goes first (both tenants run nothing); then B, although nine of A's jobs are older.
    expect(first?.task_id).toBe('a0');
    expect(second?.task_id).toBe('b0');
  });

  it('keeps room for other tenants: one tenant holds at most tenantCap leased jobs', async () => {
    for (let i = 0; i < 5; i++) await addJob('tenant-a', `a${i}`, 'callback', NOW - 10_000 + i);
    const claimed = [];
    for (let i = 0; i < 5; i++) claimed.push(await claimJob(db, 'callback', { leaseMs: LEASE, now: NOW, tenantCap: 3 }));
    expect(claimed.map((j) => j?.task_id)).toEqual(['a0', 'a1', 'a2', undefined, undefined]);
    await addJob('tenant-b', 'b0', 'callback', NOW);
    expect((await claimJob(db, 'callback', { leaseMs: LEASE, now: NOW, tenantCap: 3 }))?.task_id).toBe('b0');
    // A lease that ran out (a crashed worker) no longer counts as running.
    expect((await claimJob(db, 'callback', { leaseMs: LEASE, now: NOW + LEASE + 1, tenantCap: 3 }))?.task_id).toBe('a0');
  });
});

describe('claimJob delivers one task\'s callbacks in order', () => {
  it('holds a later event while an earlier one of the same task is still pending, then sends it', async () => {
    // `processing` failed and waits for its retry; `succeed` is due now.
    const processing = await addJob('t', 'task-1', 'callback', NOW + 5_000, '{"eventId":"processing"}');
    const succeed = await addJob('t', 'task-1', 'callback', NOW, '{"eventId":"succeed"}');
    await addJob('t', 'task-2', 'callback', NOW, '{"eventId":"other"}');
    const now = await claimJob(db, 'callback', { leaseMs: LEASE, now: NOW });
    expect(now?.task_id).toBe('task-2');
    expect(await claimJob(db, 'callback', { leaseMs: LEASE, now: NOW })).toBeUndefined();

    const later = NOW + 5_000;
    expect((await claimJob(db, 'callback', { leaseMs: LEASE, now: later }))?.id).toBe(processing);
    // While `processing` is in flight, `succeed` still waits.
    expect(await claimJob(db, 'callback', { leaseMs: LEASE, now: later })).toBeUndefined();
    // Delivered (or dead): the next event of the task is due.
    await db.updateTable('jobs').set({ status: 'dead' }).where('id', '=', processing).execute();
    const next = await claimJob(db, 'callback', { leaseMs: LEASE, now: later + 1 });
    expect(next?.id).toBe(succeed);
    // Its retry window starts at this first attempt, not when it was queued behind the earlier event.
    expect(next?.first_attempt_at).toBe(later + 1);
  });
});
