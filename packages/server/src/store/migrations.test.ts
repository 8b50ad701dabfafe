// Versioned migrations: a data directory left by a release before versions were recorded opens with the new code
// with nothing lost, gains the new columns and tables, and records which migrations ran; processes opening one new
// database at once migrate it once, under the lock, and all open it.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { up as previousReleaseSchema } from './migrations/0001-baseline.ts';
import { MIGRATION_NAMES } from './migrations.ts';
import { openSqliteStore } from './open.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-migrations-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A kiln.db as the previous release left it: its schema (the ad-hoc migration, now migration 1), no version table. */
async function previousReleaseDatabase(): Promise<void> {
  const sqlite = new SQLite(path.join(dir, 'kiln.db'));
  sqlite.pragma('journal_mode = WAL');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  await previousReleaseSchema(db);
  await db.insertInto('tenants').values({
    id: 't1', name: 'acme', api_key_hash: 'h', access_key: 'ak', secret_key: 'sk', webhook_secret: 'ws',
    limit_video: 5, limit_image: 5, limit_try_on: 5, timing_profile: null, created_at: 1_700_000_000_000,
  }).execute();
  await db.insertInto('tasks').values({
    id: '812345678901234567', tenant_id: 't1', family: 'text2video', external_task_id: 'ext-1', status: 'processing',
    status_msg: '', model: 'kling-v1', pack: 'video', slots: 1, units: 1.5, engine: 'simulator', request_json: '{}',
    result_json: null, callback_url: null, watermark: 0, engine_json: null, processing_at: 1_700_000_000_500,
    time_offset_ms: 0, created_at: 1_700_000_000_000, updated_at: 1_700_000_000_500,
  }).execute();
  await db.insertInto('jobs').values({
    kind: 'advance', task_id: '812345678901234567', tenant_id: 't1', payload_json: null, status: 'pending',
    run_at: 1_700_000_000_000, locked_until: 1_700_000_600_000, attempts: 1, last_error: null, created_at: 1_700_000_000_000,
  }).execute();
  await db.insertInto('resource_packs').values({
    id: 'p1', tenant_id: 't1', name: 'video pack', type: 'video', pack_type: 'decreasing_total', total_quantity: 100,
    remaining_quantity: 98.5, purchase_time: 1, effective_time: 1, invalid_time: 4_000_000_000_000,
  }).execute();
  await db.destroy();
}

describe('a data directory of the previous release', () => {
  it('opens with every row kept, the new schema in place and the migrations recorded', async () => {
    await previousReleaseDatabase();
    const db = await openSqliteStore(dir);
    try {
      expect(await db.selectFrom('tenants').select(['id', 'name', 'webhook_secret']).execute()).toEqual([{ id: 't1', name: 'acme', webhook_secret: 'ws' }]);
      const task = await db.selectFrom('tasks').selectAll().executeTakeFirstOrThrow();
      expect(task).toMatchObject({ id: '812345678901234567', external_task_id: 'ext-1', status: 'processing', units: 1.5, updated_at: 1_700_000_000_500 });
      const job = await db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
      expect(job).toMatchObject({ task_id: '812345678901234567', attempts: 1, locked_by: null });
      expect((await db.selectFrom('resource_packs').select('remaining_quantity').executeTakeFirstOrThrow()).remaining_quantity).toBe(98.5);
      expect(await db.selectFrom('workers').selectAll().execute()).toEqual([]);
      const versions = await db.selectFrom('kysely_migration' as any).select('name').orderBy('name').execute();
      expect(versions.map((v: any) => v.name)).toEqual(MIGRATION_NAMES);
      // The credentials the tenant was made with became its first named keys.
      expect(await db.selectFrom('tenant_keys').select(['name', 'kind', 'lookup', 'secret_key', 'revoked_at']).orderBy('name').execute()).toEqual([
        { name: 'default', kind: 'api_key', lookup: 'h', secret_key: null, revoked_at: null },
        { name: 'default-ak', kind: 'access_key', lookup: 'ak', secret_key: 'sk', revoked_at: null },
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('opens again on the next start without running a migration twice', async () => {
    await previousReleaseDatabase();
    await (await openSqliteStore(dir)).destroy();
    const db = await openSqliteStore(dir);
    try {
      expect(await db.selectFrom('kysely_migration' as any).select('name').execute()).toHaveLength(MIGRATION_NAMES.length);
      expect(await db.selectFrom('tasks').select('id').execute()).toHaveLength(1);
    } finally {
      await db.destroy();
    }
  });
});

describe('several processes opening one new database at once', () => {
  it('all open it, and each migration runs once', async () => {
    const open = `const { openSqliteStore } = await import(process.argv[1]);
      const db = await openSqliteStore(process.argv[2]); await db.destroy();`;
    const exits = await Promise.all(Array.from({ length: 4 }, () => new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['--conditions=@kiln/source', '--import', 'tsx', '--input-type=module', '-e', open, path.join(import.meta.dirname, 'open.ts'), dir],
        { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      child.once('exit', (code) => resolve({ code, output }));
    })));
    expect(exits).toEqual(Array.from({ length: 4 }, () => ({ code: 0, output: '' })));
    const db = await openSqliteStore(dir);
    try {
      const versions = await db.selectFrom('kysely_migration' as any).select('name').orderBy('name').execute();
      expect(versions.map((v: any) => v.name)).toEqual(MIGRATION_NAMES);
    } finally {
      await db.destroy();
    }
  });
});
