// On PostgreSQL a batch of creates can be chosen to end a deadlock (another transaction holding tenants' usage rows
// in the other order). Nothing of the batch was written then, and it is run again: every create in it is admitted
// once, none is refused with the database's error.

import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from './open.ts';
import { openPostgresStore, postgresPool } from './postgres.ts';
import { createTestDatabase, type TestDatabase } from './postgres-test-db.ts';
import { createTenant } from './tenants.ts';
import { TaskStore, type TaskRow } from './tasks.ts';

let database: TestDatabase | undefined;
let db: Db | undefined;
let other: pg.Client | undefined;
afterEach(async () => {
  await other?.end().catch(() => undefined);
  await db?.destroy();
  await database?.drop();
});

let seq = 0;
function taskRow(tenantId: string): TaskRow {
  const now = Date.now();
  return {
    id: `${now}${String(++seq).padStart(5, '0')}`, tenant_id: tenantId, family: 'text2video', external_task_id: null,
    status: 'submitted', status_msg: '', model: 'kling-v1', pack: 'video', slots: 1, units: 0.1, engine: 'simulator',
    request_json: '{}', result_json: null, callback_url: null, watermark: 0, engine_json: null, processing_at: null,
    time_offset_ms: 0, created_at: now, updated_at: now,
  };
}

describe('a batch of creates chosen as a deadlock victim (PostgreSQL)', () => {
  it('is run again, and every create in it is admitted once', async () => {
    database = await createTestDatabase();
    db = await openPostgresStore(postgresPool(database.url, { poolSize: 3 }));
    const tasks = new TaskStore(db);
    const ids = [];
    for (const name of ['dl-a', 'dl-b']) ids.push((await createTenant(db, { name, limits: { video: 10 } })).tenant_id);
    // The batch takes usage rows in tenant order: `first` then `second`.
    const [first, second] = ids.sort();
    for (const t of [first, second]) await tasks.insertIfAdmitted(taskRow(t), 10);

    other = new pg.Client({ connectionString: database.url });
    await other.connect();
    await other.query('BEGIN');
    // This transaction waits long before looking for deadlocks: the batch's backend (1 s) finds the cycle first.
    await other.query("SET LOCAL deadlock_timeout = '30s'");
    await other.query('UPDATE pack_usage SET used = used WHERE tenant_id = $1', [second]);

    const batch = Promise.allSettled([tasks.insertIfAdmitted(taskRow(first), 10), tasks.insertIfAdmitted(taskRow(second), 10)]);
    // Once the batch holds `first` and waits for `second`, take `first` too: a deadlock.
    const waiting = async () => (await other!.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
    )).rows[0].n > 0;
    while (!(await waiting())) await new Promise((r) => setTimeout(r, 10));
    await other.query('UPDATE pack_usage SET used = used WHERE tenant_id = $1', [first]);
    await other.query('COMMIT');

    const outcomes = await batch;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    const used = await db.selectFrom('pack_usage').select(['tenant_id', 'used']).orderBy('tenant_id').execute();
    expect(used).toEqual([{ tenant_id: first, used: 2 }, { tenant_id: second, used: 2 }]);
    const count = await db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(4);
  });
});
