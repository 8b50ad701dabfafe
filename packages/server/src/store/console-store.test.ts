// The console's store functions on both adapters (the embedded SQLite file and PostgreSQL on the machine's server,
// which this test needs and never skips): task lists with search and pages, units per day, sessions, callback
// attempts, and webhook secret rotation with its grace period.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WEBHOOK_ROTATION_GRACE_MS } from '@kiln/contract';
import { callbackAttemptById, callbackAttemptsOf, recordCallbackAttempt } from './callback-attempts.ts';
import { closeConsoleSession, findConsoleSession, openConsoleSession } from './console-sessions.ts';
import { listConsoleTasks } from './console-tasks.ts';
import { unitsPerDay } from './console-usage.ts';
import { openSqliteStore, type Db } from './open.ts';
import { openPostgresStore, postgresPool } from './postgres.ts';
import { createTestDatabase } from './postgres-test-db.ts';
import type { TaskRow } from './tasks.ts';
import { createTenant } from './tenants.ts';
import { rotateWebhookSecret, signingSecrets } from './webhook-secrets.ts';

const DAY = 86_400_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const adapters: [string, () => Promise<Db>][] = [
  ['SQLite', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-console-store-'));
    const db = await openSqliteStore(dir);
    cleanups.push(async () => { await db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); });
    return db;
  }],
  ['PostgreSQL', async () => {
    const database = await createTestDatabase();
    const db = await openPostgresStore(postgresPool(database.url, { poolSize: 2 }));
    cleanups.push(async () => { await db.destroy(); await database.drop(); });
    return db;
  }],
];

function task(tenantId: string, id: string, createdAt: number, externalId: string | null): TaskRow {
  return {
    id, tenant_id: tenantId, family: 'text2video', external_task_id: externalId, status: 'succeed', status_msg: '', model: 'kling-v1',
    pack: 'video', slots: 1, units: 1, engine: 'simulator', request_json: '{}', result_json: null, callback_url: null, watermark: 0,
    engine_json: null, processing_at: null, time_offset_ms: 0, created_at: createdAt, updated_at: createdAt,
  };
}

describe.each(adapters)('console store on %s', (_name, open) => {
  it('lists a tenant\'s tasks newest first, searched by id or external id prefix (wildcards literal), a page at a time', async () => {
    const db = await open();
    const a = (await createTenant(db, { name: 'a' })).tenant_id;
    const b = (await createTenant(db, { name: 'b' })).tenant_id;
    await db.insertInto('tasks').values([
      task(a, '100000000000000001', 1000, 'order_1'),
      task(a, '100000000000000002', 2000, 'order%2'),
      task(a, '100000000000000003', 2000, null),
      task(b, '200000000000000001', 3000, 'order_9'),
    ]).execute();
    const ids = async (filter: Partial<Parameters<typeof listConsoleTasks>[1]>) =>
      (await listConsoleTasks(db, { tenantId: a, pageSize: 10, ...filter })).rows.map((r) => r.id);
    expect(await ids({})).toEqual(['100000000000000003', '100000000000000002', '100000000000000001']);
    expect(await ids({ search: 'order' })).toEqual(['100000000000000002', '100000000000000001']);
    // `_` and `%` are the characters searched for, not wildcards.
    expect(await ids({ search: 'order_' })).toEqual(['100000000000000001']);
    expect(await ids({ search: 'order%' })).toEqual(['100000000000000002']);
    expect(await ids({ search: '10000000000000000' })).toHaveLength(3);
    expect(await ids({ search: '200000000000000001' })).toEqual([]);
    expect(await ids({ tenantId: null, search: 'order' })).toHaveLength(3);
    const first = await listConsoleTasks(db, { tenantId: a, pageSize: 2 });
    expect(first.more).toBe(true);
    const last = first.rows[1];
    const second = await listConsoleTasks(db, { tenantId: a, pageSize: 2, before: { createdAt: Number(last.created_at), id: last.id } });
    expect(second.rows.map((r) => r.id)).toEqual(['100000000000000001']);
    expect(second.more).toBe(false);
  });

  it('adds units per UTC day and family and model, leaving other tenants and older days out', async () => {
    const db = await open();
    const a = (await createTenant(db, { name: 'a' })).tenant_id;
    const b = (await createTenant(db, { name: 'b' })).tenant_id;
    const now = Date.UTC(2026, 11, 3, 12);
    const row = (tenant: string, at: number, amount: number, model = 'kling-v1') => ({
      tenant_id: tenant, task_id: 't', api_key_name: '', product_function: 'Text to Video', model_name: model, resolution: '', duration: '',
      refer_video_input: 0, video_sound: '', voice_control: 0, package_id: 'p', package_name: 'p', product_type: 'video',
      unit_before: 10, amount, unit_after: 10 - amount, task_created_at: at, deduction_time: at,
    });
    await db.insertInto('unit_deductions').values([
      row(a, now, 0.1), row(a, now - 3600_000, 0.2), row(a, now - DAY, 1.5, 'kling-v2'), row(a, now - 5 * DAY, 7), row(b, now, 100),
    ]).execute();
    const usage = await unitsPerDay(db, a, 3, now);
    expect(usage.days).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(usage.series).toEqual([
      { family: 'Text to Video', model: 'kling-v1', units: [0, 0, 0.3] },
      { family: 'Text to Video', model: 'kling-v2', units: [0, 1.5, 0] },
    ]);
    expect(usage.total).toBe(1.8);
  });

  it('finds a session by its token until it expires or is closed, and never stores the token', async () => {
    const db = await open();
    const now = Date.now();
    const { token, expiresAt } = await openConsoleSession(db, { role: 'tenant', tenantId: 't', credentialKind: 'api_key', credential: 'h' }, now);
    expect(JSON.stringify(await db.selectFrom('console_sessions').selectAll().execute())).not.toContain(token);
    expect((await findConsoleSession(db, token, now))?.tenant_id).toBe('t');
    expect(await findConsoleSession(db, token, expiresAt)).toBeUndefined();
    expect(await findConsoleSession(db, `${token}x`, now)).toBeUndefined();
    await closeConsoleSession(db, token);
    expect(await findConsoleSession(db, token, now)).toBeUndefined();
  });

  it('keeps callback attempts per tenant, newest first', async () => {
    const db = await open();
    const attempt = (tenant: string, at: number) => ({
      tenant_id: tenant, task_id: 'task', event_id: 'msg_task_succeed', trigger: 'event' as const, url: 'http://x', attempted_at: at,
      latency_ms: 3, http_status: 500, error: null, signature: 'v1,abc', body: '{}',
    });
    await recordCallbackAttempt(db, attempt('a', 1));
    await recordCallbackAttempt(db, attempt('a', 2));
    await recordCallbackAttempt(db, attempt('b', 3));
    const mine = await callbackAttemptsOf(db, 'a', 'task');
    expect(mine.map((x) => x.attempted_at)).toEqual([2, 1]);
    expect(await callbackAttemptsOf(db, null, 'task')).toHaveLength(3);
    expect(await callbackAttemptById(db, 'b', mine[0].id)).toBeUndefined();
    expect((await callbackAttemptById(db, 'a', mine[0].id))?.http_status).toBe(500);
  });

  it('rotates a webhook secret: the old one signs beside the new until the grace ends', async () => {
    const db = await open();
    const tenant = await createTenant(db, { name: 'w' });
    const unsigned = await createTenant(db, { name: 'u', webhookSecret: null });
    const now = Date.now();
    const rotated = (await rotateWebhookSecret(db, tenant.tenant_id, now))!;
    expect(rotated.previousUntil).toBe(now + WEBHOOK_ROTATION_GRACE_MS);
    expect(await signingSecrets(db, tenant.tenant_id, now + 1)).toEqual([rotated.secret, tenant.webhook_secret]);
    expect(await signingSecrets(db, tenant.tenant_id, rotated.previousUntil)).toEqual([rotated.secret]);
    expect(await rotateWebhookSecret(db, unsigned.tenant_id, now)).toBeUndefined();
    expect(await signingSecrets(db, unsigned.tenant_id)).toEqual([]);
  });
});
