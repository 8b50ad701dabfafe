// kiln's hot queries run as named statements on PostgreSQL connections, and keep answering after a newer kiln
// changed the table under them (a rolling upgrade adding a column).

import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore, postgresPool } from './postgres.ts';
import { createTestDatabase, type TestDatabase } from './postgres-test-db.ts';
import { createTenant } from './tenants.ts';
import { TaskStore, type TaskRow } from './tasks.ts';
import type { Db } from './open.ts';

let database: TestDatabase | undefined;
let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('named statements on PostgreSQL', () => {
  it('keeps a hot query parsed on its connection, and parses it again when the table changed', async () => {
    database = await createTestDatabase();
    // One connection, so that what it keeps can be read from it.
    db = await openPostgresStore(postgresPool(database.url, { poolSize: 1 }));
    const tenant = await createTenant(db, { name: 'named' });
    const tasks = new TaskStore(db);
    const now = Date.now();
    const row: TaskRow = {
      id: `${now}00001`, tenant_id: tenant.tenant_id, family: 'text2video', external_task_id: null, status: 'submitted', status_msg: '',
      model: 'kling-v1', pack: 'video', slots: 1, units: 0.1, engine: 'simulator', request_json: '{}', result_json: null,
      callback_url: null, watermark: 0, engine_json: null, processing_at: null, time_offset_ms: 0, created_at: now, updated_at: now,
    };
    await tasks.insertIfAdmitted(row, 5);
    const fresh = () => new TaskStore(db!).byId(row.id);
    expect((await fresh())?.id).toBe(row.id);
    const kept = await sql<{ name: string }>`SELECT name FROM pg_prepared_statements`.execute(db);
    expect(kept.rows.some((r) => r.name.startsWith('kiln_'))).toBe(true);

    await sql`ALTER TABLE tasks ADD COLUMN added_later text`.execute(db);
    expect((await fresh())?.id).toBe(row.id);
    expect((await fresh())?.id).toBe(row.id);
  });
});
