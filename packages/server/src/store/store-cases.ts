// The Store port's behaviour suite: what every store adapter (embedded SQLite, PostgreSQL) must do, written once and
// run against each (store-cases.test.ts). Several "processes" are several stores opened on one database: what one
// writes, the others must see, and races between them must end as if the writes had come one at a time.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimJob, completeJob, enqueueAdvance, extendLeases, findJob, queueStats, rescheduleJob } from './jobs.ts';
import type { Db } from './open.ts';
import { addPack, chargeUnits, unitsLeft } from './resource-packs.ts';
import { findSession, openSession, updateSessionState } from './sessions.ts';
import { getOrCreateSetting, readJsonSetting, writeJsonSetting } from './settings.ts';
import { DuplicateExternalId, PackDepleted, SlotsExhausted, TaskStore, type TaskRow } from './tasks.ts';
import { taskPage, tasksByIds } from './task-batch.ts';
import { createTenant, tenantByName } from './tenants.ts';
import { relayOutcomes, relayPoolState, relayPoolUse } from './relay-pool.ts';
import { findRelayedId, forgetRelayedIdsBefore, rememberRelayedId } from './relayed-ids.ts';
import { claimWorkerNumber, renewWorkerNumber } from './workers.ts';
import { addUpstream, dropUpstream, setUpstream, upstreamConfigs } from '../accounts/upstream-admin.ts';
import { SecretBox } from './secret-box.ts';
import { randomBytes } from 'node:crypto';

export interface StoreAdapter {
  /** A new, empty database for one test. */
  create(): Promise<TestStore>;
  /** Whether several processes may share the store (PostgreSQL); the embedded store refuses a second one. */
  manyProcesses: boolean;
}

export interface TestStore {
  /** Opens the store on the test's database, as another process would: several opens share the data. */
  open(): Promise<Db>;
  /** Closes every store opened and removes the database. */
  dispose(): Promise<void>;
}

/** A time past 2^31 seconds' worth of ms and past 2^32: a 32-bit column would not hold it. */
const FAR_MS = 4_102_444_800_000;

let seq = 0;
const uniqueId = () => `${Date.now()}${String(++seq).padStart(5, '0')}`;

function taskRow(tenantId: string, changes: Partial<TaskRow> = {}): TaskRow {
  const now = Date.now();
  return {
    id: uniqueId(), tenant_id: tenantId, family: 'text2video', external_task_id: null, status: 'submitted', status_msg: '',
    model: 'kling-v1', pack: 'video', slots: 1, units: 0.1, engine: 'simulator', request_json: '{"prompt":"x"}', result_json: null,
    callback_url: null, watermark: 0, engine_json: null, processing_at: null, time_offset_ms: 0, created_at: now, updated_at: now,
    ...changes,
  };
}

const outcome = (p: Promise<unknown>) => p.then(() => 'created' as const, (e: unknown) => e);

export function runStoreCases(name: string, adapter: StoreAdapter): void {
  describe(`Store on ${name}`, () => {
    let store: TestStore;
    let db: Db;
    beforeEach(async () => {
      store = await adapter.create();
      db = await store.open();
    });
    afterEach(async () => {
      await store.dispose();
    });

    const tenant = async (limits = { video: 3 }, packs = [{ type: 'video' as const, units: 100 }]) =>
      (await createTenant(db, { name: `t-${uniqueId()}`, limits, packs })).tenant_id;
    const usedSlots = async (tenantId: string) =>
      Number((await db.selectFrom('pack_usage').select('used').where('tenant_id', '=', tenantId).executeTakeFirst())?.used ?? 0);

    it('creates tasks and reads them back, times past 32 bits and units as given', async () => {
      const t = await tenant();
      const tasks = new TaskStore(db);
      const row = taskRow(t, { processing_at: FAR_MS, updated_at: FAR_MS, units: 12.34, external_task_id: 'order-1' });
      await tasks.insertIfAdmitted(row, 3);
      const other = new TaskStore(await store.open());
      expect(await other.findForTenant(t, 'text2video', row.id)).toMatchObject(row);
      expect(await other.findForTenant(t, 'text2video', 'order-1')).toMatchObject(row);
      expect(await other.findForTenant(t, 'image2video', row.id)).toBeUndefined();
      expect(await other.list(t, 'text2video', 1, 10)).toMatchObject([row]);
      expect(await tenantByName(db, (await db.selectFrom('tenants').select('name').where('id', '=', t).executeTakeFirstOrThrow()).name))
        .toMatchObject({ id: t, limit_video: 3 });
    });

    it("counts an upstream pool's held slots and, for a waiting relay task, the slots wanted before its turn", async () => {
      const [a, b] = [await tenant({ video: 10 }), await tenant({ video: 10 })];
      const tasks = new TaskStore(db);
      const start = Date.now();
      const relayed = (tenantId: string, phase: string, order: number, changes: Partial<TaskRow> = {}) =>
        taskRow(tenantId, { engine: 'relay', engine_json: JSON.stringify({ upstream: 'main', externalId: 'x', phase, polls: 0 }), created_at: start + order, ...changes });
      const held = [relayed(a, 'sending', 1), relayed(a, 'sent', 2, { status: 'processing', slots: 2 })];
      const waiting = [relayed(a, 'new', 3), relayed(a, 'new', 4), relayed(b, 'new', 5)];
      const elsewhere = [relayed(a, 'sent', 6, { status: 'succeed' }), relayed(b, 'sent', 7, { engine_json: JSON.stringify({ upstream: 'other', externalId: 'y', phase: 'sent', polls: 0 }) })];
      for (const row of [...held, ...waiting, ...elsewhere]) await tasks.insertIfAdmitted(row, 10);
      const ask = (taskId: string) => relayPoolState(db, { upstream: 'main', pack: 'video', taskId });
      // The tenant with nothing upstream goes first, though its task is the newest; then the other's, oldest first.
      // Held: the task being sent and the one sent (2 slots); accepted: the sent one's alone.
      // Next: the waiting task whose turn comes first, named to the others.
      expect(await ask(waiting[2].id)).toEqual({ held: 3, accepted: 2, ahead: 0 });
      expect(await ask(waiting[0].id)).toEqual({ held: 3, accepted: 2, ahead: 1, next: waiting[2].id });
      expect(await ask(waiting[1].id)).toEqual({ held: 3, accepted: 2, ahead: 2, next: waiting[2].id });
      // What the console shows of the pool: slots held and wanted; and how its tasks ended (one succeeded on main).
      expect(await relayPoolUse(db, 'main', 'video')).toEqual({ held: 3, waiting: 3 });
      expect(await relayOutcomes(db, 'main', start)).toEqual({ succeeded: 1, failed: 0 });
      expect(await relayOutcomes(db, 'other', start)).toEqual({ succeeded: 0, failed: 0 });
    });

    it('gives the next turn to the tenant served longest ago when two have as much upstream', async () => {
      const [a, b] = [await tenant({ video: 10 }), await tenant({ video: 10 })];
      const tasks = new TaskStore(db);
      const start = Date.now();
      const pool = async (upstream: string, aUpstream: object, bUpstream: object) => {
        const relayed = (tenantId: string, state: object, order: number) =>
          taskRow(tenantId, { engine: 'relay', engine_json: JSON.stringify({ upstream, externalId: 'x', polls: 0, ...state }), created_at: start + order });
        const rows = [relayed(a, aUpstream, 1), relayed(b, bUpstream, 2), relayed(a, { phase: 'new' }, 3), relayed(b, { phase: 'new' }, 4)];
        for (const row of rows) await tasks.insertIfAdmitted(row, 10);
        const ask = (taskId: string) => relayPoolState(db, { upstream, pack: 'video', taskId });
        return { aWaiting: await ask(rows[2].id), bWaiting: await ask(rows[3].id), bId: rows[3].id };
      };
      // Each has one task upstream, a's sent last: a's waiting task is the older, yet b's goes first.
      const sent = await pool('fair', { phase: 'sent', sentAt: start + 20 }, { phase: 'sent', sentAt: start + 10 });
      expect(sent.bWaiting).toEqual({ held: 2, accepted: 2, ahead: 0 });
      expect(sent.aWaiting).toEqual({ held: 2, accepted: 2, ahead: 1, next: sent.bId });
      // A task being sent (no sentAt yet) makes its tenant the one served last.
      const sending = await pool('fair-sending', { phase: 'sending' }, { phase: 'sent', sentAt: start + 30 });
      expect(sending.bWaiting).toEqual({ held: 2, accepted: 1, ahead: 0 });
      expect(sending.aWaiting).toMatchObject({ ahead: 1, next: sending.bId });
    });

    it('keeps the ids relayed calls got upstream, per tenant and kind, once, with the account that holds each', async () => {
      const [a, b] = [await tenant(), await tenant()];
      await rememberRelayedId(db, { tenant_id: a, kind: 'session', id: '42', upstream: 'main', created_at: 1_000, detail: { kind: 'identify-face' } });
      // A retried call records the same id again: the first record stays.
      await rememberRelayedId(db, { tenant_id: a, kind: 'session', id: '42', upstream: 'other', created_at: 2_000 });
      expect(await findRelayedId(db, a, 'session', '42')).toMatchObject({ upstream: 'main', detail_json: '{"kind":"identify-face"}', created_at: 1_000 });
      expect(await findRelayedId(db, a, 'session', '42', 1_000)).toBeUndefined();
      expect(await findRelayedId(db, a, 'audio', '42')).toBeUndefined();
      expect(await findRelayedId(db, b, 'session', '42')).toBeUndefined();
      // Past the retention period sessions and audios are forgotten, and only those; an element lives until deleted.
      await rememberRelayedId(db, { tenant_id: b, kind: 'audio', id: '7', upstream: 'main', created_at: 5_000 });
      await rememberRelayedId(db, { tenant_id: b, kind: 'element', id: '8', upstream: 'main', created_at: 1_000 });
      expect(await forgetRelayedIdsBefore(db, 2_000)).toBe(1);
      expect(await findRelayedId(db, a, 'session', '42')).toBeUndefined();
      expect(await findRelayedId(db, b, 'audio', '7')).toMatchObject({ upstream: 'main' });
      expect(await findRelayedId(db, b, 'element', '8')).toMatchObject({ upstream: 'main' });
    });

    it('admits creates racing from two processes up to the limit, no further, and refuses the rest with 1303', async () => {
      const t = await tenant({ video: 5 });
      const a = new TaskStore(db);
      const b = new TaskStore(await store.open());
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        outcome((i % 2 ? a : b).insertIfAdmitted(taskRow(t), 5))));
      expect(results.filter((r) => r === 'created')).toHaveLength(5);
      expect(results.filter((r) => r instanceof SlotsExhausted)).toHaveLength(15);
      expect(await usedSlots(t)).toBe(5);
      expect(await a.unfinished(t)).toHaveLength(5);
    });

    it('refuses a used external_task_id from any process, naming it, while the rest of its batch is created', async () => {
      const t = await tenant({ video: 10 });
      const a = new TaskStore(db);
      const b = new TaskStore(await store.open());
      await a.insertIfAdmitted(taskRow(t, { external_task_id: 'order-7' }), 10);
      const results = await Promise.all([
        outcome(b.insertIfAdmitted(taskRow(t, { external_task_id: 'order-8' }), 10)),
        outcome(b.insertIfAdmitted(taskRow(t, { external_task_id: 'order-7' }), 10)),
        outcome(b.insertIfAdmitted(taskRow(t), 10)),
      ]);
      expect(results[0]).toBe('created');
      expect(results[1]).toBeInstanceOf(DuplicateExternalId);
      expect((results[1] as DuplicateExternalId).externalTaskId).toBe('order-7');
      expect(results[2]).toBe('created');
      expect(await usedSlots(t)).toBe(3);
    });

    it('refuses a task when every pack of its type is used up (1102), taking no slot', async () => {
      const t = await tenant({ video: 5 }, [{ type: 'video', units: 1 }]);
      await db.transaction().execute((trx) => chargeUnits(trx, t, 'video', 1, { call: { action: 'tts', taskId: uniqueId(), at: Date.now() } }));
      const tasks = new TaskStore(db);
      await expect(tasks.insertIfAdmitted(taskRow(t), 5)).rejects.toBeInstanceOf(PackDepleted);
      expect(await usedSlots(t)).toBe(0);
    });

    it('ends a task once when two processes race to finish it: one wins, its slot is freed once', async () => {
      const t = await tenant({ video: 2 });
      const a = new TaskStore(db);
      const b = new TaskStore(await store.open());
      const row = taskRow(t);
      await a.insertIfAdmitted(row, 2);
      const seen = (await b.byId(row.id))!;
      const finish = (s: TaskStore, status: string) => s.transition(seen, { ...seen, status, updated_at: seen.updated_at + 1 },
        (trx) => chargeUnits(trx, t, 'video', 0.1, { task: seen }));
      const won = await Promise.all([finish(a, 'succeed'), finish(b, 'failed'), finish(a, 'succeed')]);
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await usedSlots(t)).toBe(0);
      // Charged once: the pack lost 0.1 units, one deduction row.
      expect(await unitsLeft(db, t, 'video')).toBe(99.9);
      expect(await db.selectFrom('unit_deductions').select('amount').where('tenant_id', '=', t).execute()).toEqual([{ amount: 0.1 }]);
      // Both processes now read the ended task.
      expect((await a.byId(row.id))!.status).toBe((await b.byId(row.id))!.status);
    });

    it('keeps a change another writer made to a column a transition does not touch (a control moving the clock)', async () => {
      const t = await tenant();
      const worker = new TaskStore(db);
      // In the embedded store's one process, the control and the worker share its one task store (and row cache).
      const control = adapter.manyProcesses ? new TaskStore(await store.open()) : worker;
      const row = taskRow(t);
      await worker.insertIfAdmitted(row, 3);
      const seen = (await worker.byId(row.id))!;
      await control.update(row.id, { time_offset_ms: FAR_MS });
      expect(await worker.transition(seen, { ...seen, status: 'processing', processing_at: seen.created_at + 5, updated_at: seen.updated_at + 5 })).toBe(true);
      for (const reader of [worker, control, new TaskStore(await store.open())]) {
        expect(await reader.byId(row.id)).toMatchObject({ status: 'processing', time_offset_ms: FAR_MS, processing_at: seen.created_at + 5 });
      }
    });

    it('stores a result once when two workers hold the same row (compare-and-swap), and other processes see it', async () => {
      const t = await tenant();
      const a = new TaskStore(db);
      const b = new TaskStore(await store.open());
      const row = taskRow(t);
      await a.insertIfAdmitted(row, 3);
      const stored = await Promise.all([
        a.storeResult(row, { result_json: '{"by":"a"}', units: 1 }),
        b.storeResult(row, { result_json: '{"by":"b"}', units: 1 }),
      ]);
      expect(stored.filter(Boolean)).toHaveLength(1);
      const winner = stored[0] ? '{"by":"a"}' : '{"by":"b"}';
      expect((await b.byId(row.id))!.result_json).toBe(winner);
      expect((await a.byId(row.id))!.result_json).toBe(winner);
    });

    it('charges concurrent bills exactly: 100 charges of 0.1 units leave 90, no float drift', async () => {
      const t = await tenant({ video: 3 }, [{ type: 'video', units: 100 }]);
      const other = await store.open();
      await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? db : other).transaction().execute((trx) =>
        chargeUnits(trx, t, 'video', 0.1, { call: { action: 'tts', taskId: `call-${i}`, at: Date.now() } }))));
      expect(await unitsLeft(db, t, 'video')).toBe(90);
      const rows = await db.selectFrom('unit_deductions').select(['amount', 'unit_before', 'unit_after']).where('tenant_id', '=', t).execute();
      expect(rows).toHaveLength(100);
      // Each record's before and after are two balances the pack really had, one charge apart.
      const afters = rows.map((r) => Math.round(r.unit_after * 100)).sort((x, y) => x - y);
      expect(afters).toEqual(Array.from({ length: 100 }, (_, i) => 9000 + i * 10));
    });

    it('draws a charge larger than one pack from the next pack, expiring first first', async () => {
      const t = await tenant({ video: 3 }, []);
      const soon = await addPack(db, t, { type: 'video', units: 1.25, validMs: 1000 * 3600 });
      const later = await addPack(db, t, { type: 'video', units: 10, validMs: 1000 * 7200 });
      await db.transaction().execute((trx) => chargeUnits(trx, t, 'video', 2, { call: { action: 'tts', taskId: 'c', at: Date.now() } }));
      const packs = await db.selectFrom('resource_packs').select(['id', 'remaining_quantity']).where('tenant_id', '=', t).execute();
      expect(Object.fromEntries(packs.map((p) => [p.id, p.remaining_quantity]))).toEqual({ [soon.id]: 0, [later.id]: 9.25 });
    });

    it('hands each due job to one claimer of many racing, across processes', async () => {
      const ids = new Set<number>();
      for (let i = 0; i < 30; i++) ids.add(await enqueueAdvance(db, { taskId: `task-${i}`, tenantId: `tenant-${i % 3}`, now: 1000 }));
      const other = await store.open();
      const claimed: number[] = [];
      await Promise.all(Array.from({ length: 8 }, async (_, w) => {
        for (;;) {
          const job = await claimJob(w % 2 ? db : other, 'advance', { leaseMs: 60_000, owner: `w${w}`, now: 2000 });
          if (!job) return;
          claimed.push(job.id);
        }
      }));
      expect(claimed.sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
      expect(await claimJob(db, 'advance', { leaseMs: 60_000, owner: 'late', now: 2000 })).toBeUndefined();
    });

    it('lets only the lease owner end its job; a lease that ran out is taken over; a renewed one is not', async () => {
      const id = await enqueueAdvance(db, { taskId: 'task-1', tenantId: 'tenant-1', now: 1000 });
      const first = await claimJob(db, 'advance', { leaseMs: 10_000, owner: 'pool-a', now: 1000 });
      expect(first?.id).toBe(id);
      // Renewed by its owner: still held at a time past the first lease.
      await extendLeases(db, 'pool-a', 30_000);
      expect(await claimJob(db, 'advance', { leaseMs: 10_000, owner: 'pool-b', now: 20_000 })).toBeUndefined();
      // Not renewed again: taken over once it runs out, and the old owner's completion writes nothing.
      const taken = await claimJob(db, 'advance', { leaseMs: 10_000, owner: 'pool-b', now: 30_001 });
      expect(taken).toMatchObject({ id, locked_by: 'pool-b', attempts: 2 });
      await completeJob(db, id, 'pool-a');
      expect(await findJob(db, id)).toBeDefined();
      await rescheduleJob(db, id, 50_000, 'boom', 'pool-a');
      expect((await findJob(db, id))?.locked_by).toBe('pool-b');
      await completeJob(db, id, 'pool-b');
      expect(await findJob(db, id)).toBeUndefined();
    });

    it('reports queue depth and the oldest job per kind', async () => {
      await enqueueAdvance(db, { taskId: 'a', tenantId: 't', now: FAR_MS });
      await enqueueAdvance(db, { taskId: 'b', tenantId: 't', now: FAR_MS + 5 });
      expect(await queueStats(db)).toEqual([{ kind: 'advance', depth: 2, oldestCreatedAt: FAR_MS }]);
    });

    it('keeps every change to a session state made by racing processes', async () => {
      const t = await tenant();
      const video = { seconds: 5, width: 1280, height: 720, fps: 24, frames: 120, hasAudio: false };
      await openSession(db, { id: 'session-1', tenantId: t, kind: 'multi-elements', source: {}, video, state: { marks: [] }, now: FAR_MS });
      const other = await store.open();
      await Promise.all(Array.from({ length: 12 }, (_, i) => updateSessionState<{ marks: number[] }, void>(i % 2 ? db : other, t, 'session-1',
        (state) => ({ state: { marks: [...state.marks, i] }, result: undefined }))));
      const row = await findSession(db, t, 'session-1');
      expect((JSON.parse(row!.state_json) as { marks: number[] }).marks.sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(row).toMatchObject({ fps: 24, seconds: 5, expires_at: FAR_MS + 24 * 3600 * 1000 });
      expect(await findSession(db, 'another-tenant', 'session-1')).toBeUndefined();
    });

    it('gives every process the same generated setting, and keeps JSON settings', async () => {
      const other = await store.open();
      let made = 0;
      const values = await Promise.all(Array.from({ length: 6 }, (_, i) =>
        getOrCreateSetting(i % 2 ? db : other, 'secret', () => `value-${++made}`)));
      expect(new Set(values).size).toBe(1);
      await writeJsonSetting(db, 'rules', { a: 1 });
      await writeJsonSetting(other, 'rules', { a: 2 });
      expect(await readJsonSetting(db, 'rules', null)).toEqual({ a: 2 });
      expect(await readJsonSetting(db, 'missing', 'fallback')).toBe('fallback');
    });

    if (adapter.manyProcesses) {
      it('shows a process the task another process changed, never a copy it read before', async () => {
        const t = await tenant();
        const a = new TaskStore(db);
        const b = new TaskStore(await store.open());
        const row = taskRow(t);
        await a.insertIfAdmitted(row, 3);
        expect((await b.findForTenant(t, 'text2video', row.id))?.status).toBe('submitted');
        expect(await a.transition(row, { ...row, status: 'processing', updated_at: row.updated_at + 1 })).toBe(true);
        expect((await b.findForTenant(t, 'text2video', row.id))?.status).toBe('processing');
        expect((await b.byId(row.id))?.status).toBe('processing');
        // b's compare-and-swap over the row it read first writes nothing.
        expect(await b.storeResult(row, { result_json: '{}', units: 1 })).toBe(false);
      });
    }

    it("reads a tenant's tasks by ids and by external ids, and pages them newest first after a position (the new standard's /tasks)", async () => {
      const t = await tenant({ video: 10 });
      const other = await tenant({ video: 10 });
      const a = new TaskStore(db);
      // Within the tenant's packs' lifetime (a task is admitted against the packs live at its creation time).
      const base = Date.now() + 60_000;
      const rows = [0, 1, 1, 2].map((offset, i) => taskRow(t, { id: `90000000000000000${i}`, created_at: base + offset, updated_at: base + offset, external_task_id: `ext-${i}`, pack: i === 3 ? 'image' : 'video', status: i === 0 ? 'succeed' : 'submitted' }));
      for (const row of rows) await a.insertIfAdmitted(row, 10);
      const theirs = taskRow(other, { id: '900000000000000009', external_task_id: 'ext-0', created_at: base, updated_at: base });
      await a.insertIfAdmitted(theirs, 10);
      expect((await tasksByIds(db, t, 'id', [rows[2].id, theirs.id, 'nope'])).map((r) => r.id)).toEqual([rows[2].id]);
      expect((await tasksByIds(db, t, 'external_task_id', ['ext-0', 'ext-3'])).map((r) => r.id).sort()).toEqual([rows[0].id, rows[3].id]);
      const window = { startTime: base, endTime: base + 10, limit: 2 };
      const first = await taskPage(db, t, window);
      expect(first.map((r) => r.id)).toEqual([rows[3].id, rows[2].id]);
      const last = first[first.length - 1];
      const second = await taskPage(db, t, { ...window, after: { createdAt: Number(last.created_at), id: last.id } });
      expect(second.map((r) => r.id)).toEqual([rows[1].id, rows[0].id]);
      expect((await taskPage(db, t, { ...window, limit: 10, statuses: ['succeed'] })).map((r) => r.id)).toEqual([rows[0].id]);
      expect((await taskPage(db, t, { ...window, limit: 10, packs: ['image'] })).map((r) => r.id)).toEqual([rows[3].id]);
      expect(await taskPage(db, t, { startTime: 0, endTime: base - 1, limit: 10 })).toEqual([]);
    });

    it('gives processes claiming worker numbers at once different numbers, and a stale number to a newcomer', async () => {
      const other = await store.open();
      const numbers = await Promise.all(Array.from({ length: 6 }, (_, i) => claimWorkerNumber(i % 2 ? db : other, `owner-${i}`, 10_000_000)));
      expect(new Set(numbers).size).toBe(6);
      // owner-0 stops renewing; a claim a minute and more later takes its number, and owner-0's renewal fails.
      const later = 10_000_000 + 61_000;
      for (let i = 1; i < 6; i++) expect(await renewWorkerNumber(db, numbers[i], `owner-${i}`, later)).toBe(true);
      expect(await claimWorkerNumber(other, 'newcomer', later + 1)).toBe(numbers[0]);
      expect(await renewWorkerNumber(db, numbers[0], 'owner-0', later + 2)).toBe(false);
    });

    it('keeps upstreams encrypted at rest: the raw row holds no secret in clear, another process opens them with the key', async () => {
      const box = new SecretBox(randomBytes(32));
      const secrets = { access_key: 'ak-visible', secret_key: 'sk-very-secret-value', webhook_secret: 'whsec_c2VjcmV0LXdlYmhvb2s=' };
      await addUpstream(db, box, { name: 'kling-a', base_url: 'https://api.example.com/', ...secrets, models: ['kling-v2-6'], priority: 5, concurrency: { video: 4 } });
      const other = await store.open();
      const raw = await other.selectFrom('upstreams').selectAll().where('name', '=', 'kling-a').executeTakeFirstOrThrow();
      const rawText = JSON.stringify(raw);
      expect(rawText).not.toContain(secrets.secret_key);
      expect(rawText).not.toContain('c2VjcmV0LXdlYmhvb2s');
      expect(raw.access_key).toBe('ak-visible');
      const [opened] = await upstreamConfigs(other, box);
      expect(opened).toMatchObject({ name: 'kling-a', baseUrl: 'https://api.example.com', secretKey: secrets.secret_key, webhookSecret: secrets.webhook_secret, priority: 5, models: ['kling-v2-6'], concurrency: { video: 4 } });
      // Another key opens nothing: the secrets are useless without the master key.
      await expect(upstreamConfigs(other, new SecretBox(randomBytes(32)))).rejects.toThrow(/does not open with this master key/);

      // An API key replaces the pair; the change is seen by the other process; a second add of the name is refused.
      await setUpstream(other, box, 'kling-a', { api_key: 'api-key-secret-123' });
      expect(JSON.stringify(await db.selectFrom('upstreams').selectAll().execute())).not.toContain('api-key-secret-123');
      expect((await upstreamConfigs(db, box))[0]).toMatchObject({ apiKey: 'api-key-secret-123', accessKey: undefined, secretKey: undefined });
      await expect(addUpstream(db, box, { name: 'kling-a', base_url: 'https://b.example.com', api_key: 'k' })).rejects.toThrow(/name: an upstream named 'kling-a' already exists/);
      await dropUpstream(other, 'kling-a');
      expect(await upstreamConfigs(db, box)).toEqual([]);
    });
  });
}
