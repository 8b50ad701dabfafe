// Migration 1: the schema as kiln made it before migrations were versioned. Data directories of those releases have
// no version table: this migration runs on them too, so every step is idempotent (CREATE … IF NOT EXISTS, and the
// legacy column checks below, which only such directories need). Migrations after it are plain, versioned steps.

import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types.ts';

export async function up(db: Kysely<any>): Promise<void> {
  // Times and units through columnTypes: the same declared types as before on SQLite, bigint and numeric elsewhere.
  const t = columnTypes(db);
  await db.schema.createTable('settings').ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('tenants').ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('api_key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('access_key', 'text', (c) => c.notNull().unique())
    .addColumn('secret_key', 'text', (c) => c.notNull())
    .addColumn('webhook_secret', 'text')
    .addColumn('limit_video', 'integer', (c) => c.notNull())
    .addColumn('limit_image', 'integer', (c) => c.notNull())
    .addColumn('limit_try_on', 'integer', (c) => c.notNull())
    .addColumn('timing_profile', 'text')
    .addColumn('created_at', t.ms, (c) => c.notNull())
    .execute();

  await db.schema.createTable('tasks').ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('external_task_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_msg', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('model', 'text')
    .addColumn('pack', 'text', (c) => c.notNull())
    .addColumn('slots', 'integer', (c) => c.notNull())
    .addColumn('units', t.units, (c) => c.notNull())
    .addColumn('engine', 'text', (c) => c.notNull())
    .addColumn('request_json', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text')
    .addColumn('callback_url', 'text')
    .addColumn('watermark', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('engine_json', 'text')
    .addColumn('processing_at', t.ms)
    .addColumn('time_offset_ms', t.ms, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.ms, (c) => c.notNull())
    .addColumn('updated_at', t.ms, (c) => c.notNull())
    .execute();
  // external_task_id is unique per tenant (spec §1.4).
  await sql`CREATE UNIQUE INDEX IF NOT EXISTS tasks_external ON tasks (tenant_id, external_task_id)
            WHERE external_task_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS tasks_list ON tasks (tenant_id, family, created_at)`.execute(db);

  await db.schema.createTable('pack_usage').ifNotExists()
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('pack', 'text', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('pack_usage_pk', ['tenant_id', 'pack'])
    .execute();

  await db.schema.createTable('resource_packs').ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('pack_type', 'text', (c) => c.notNull())
    .addColumn('total_quantity', t.units, (c) => c.notNull())
    .addColumn('remaining_quantity', t.units, (c) => c.notNull())
    .addColumn('purchase_time', t.ms, (c) => c.notNull())
    .addColumn('effective_time', t.ms, (c) => c.notNull())
    .addColumn('invalid_time', t.ms, (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX IF NOT EXISTS packs_tenant ON resource_packs (tenant_id, type)`.execute(db);

  await db.schema.createTable('outputs').ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('seconds', 'real')
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('created_at', t.ms, (c) => c.notNull())
    .execute();

  await db.schema.createTable('jobs').ifNotExists()
    .addColumn('id', t.serialId.type, (c) => (t.serialId.autoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('run_at', t.ms, (c) => c.notNull())
    .addColumn('locked_until', t.ms)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.ms, (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX IF NOT EXISTS jobs_due ON jobs (status, kind, run_at)`.execute(db);

  // Synchronous helpers' data: editing sessions (24 h), custom voices and elements (kept when deleted).
  await db.schema.createTable('editing_sessions').ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('video_file', 'text', (c) => c.notNull())
    .addColumn('source_json', 'text', (c) => c.notNull())
    .addColumn('seconds', 'real', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('fps', 'real', (c) => c.notNull())
    .addColumn('total_frames', 'integer', (c) => c.notNull())
    .addColumn('has_audio', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state_json', 'text', (c) => c.notNull())
    .addColumn('created_at', t.ms, (c) => c.notNull())
    .addColumn('expires_at', t.ms, (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX IF NOT EXISTS sessions_expiry ON editing_sessions (expires_at)`.execute(db);

  await db.schema.createTable('custom_voices').ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('trial_file', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.ms, (c) => c.notNull())
    .addColumn('updated_at', t.ms, (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX IF NOT EXISTS custom_voices_tenant ON custom_voices (tenant_id, created_at)`.execute(db);

  await db.schema.createTable('custom_elements').ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('reference_type', 'text', (c) => c.notNull())
    .addColumn('detail_json', 'text', (c) => c.notNull())
    .addColumn('voice_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.ms, (c) => c.notNull())
    .addColumn('updated_at', t.ms, (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX IF NOT EXISTS custom_elements_tenant ON custom_elements (tenant_id, created_at)`.execute(db);

  // Which element API made an element: 'advanced' (advanced-custom-elements) or 'legacy' (the old synchronous
  // custom-elements). Kling keeps the two libraries apart; rows written before this column existed are advanced.
  await addColumnOnce(db, 'custom_elements', 'library', sql`text NOT NULL DEFAULT 'advanced'`);

  // One row per pack a charge drew on (spec §6.2 deduction details), written in the charge's transaction.
  await db.schema.createTable('unit_deductions').ifNotExists()
    .addColumn('id', t.serialId.type, (c) => (t.serialId.autoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('api_key_name', 'text', (c) => c.notNull())
    .addColumn('product_function', 'text', (c) => c.notNull())
    .addColumn('model_name', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text', (c) => c.notNull())
    .addColumn('duration', 'text', (c) => c.notNull())
    .addColumn('refer_video_input', 'integer', (c) => c.notNull())
    .addColumn('video_sound', 'text', (c) => c.notNull())
    .addColumn('voice_control', 'integer', (c) => c.notNull())
    .addColumn('package_id', 'text', (c) => c.notNull())
    .addColumn('package_name', 'text', (c) => c.notNull())
    .addColumn('product_type', 'text', (c) => c.notNull())
    .addColumn('unit_before', t.units, (c) => c.notNull())
    .addColumn('amount', t.units, (c) => c.notNull())
    .addColumn('unit_after', t.units, (c) => c.notNull())
    .addColumn('task_created_at', t.ms, (c) => c.notNull())
    .addColumn('deduction_time', t.ms, (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX IF NOT EXISTS unit_deductions_tenant ON unit_deductions (tenant_id, id)`.execute(db);

  // Jobs name their tenant (fair sharing of workers; callbacks signed with the tenant's current secret) and when they
  // were first tried. Jobs queued before know their tenant from their task.
  // The UPDATEs below fix rows of unversioned SQLite data directories; a PostgreSQL store starts versioned and empty.
  if (await addColumnOnce(db, 'jobs', 'tenant_id', sql`text`) && !t.postgres) {
    await sql`UPDATE jobs SET tenant_id = (SELECT tenant_id FROM tasks WHERE tasks.id = jobs.task_id)`.execute(db);
  }
  if (await addColumnOnce(db, 'jobs', 'first_attempt_at', sql.raw(t.ms)) && !t.postgres) {
    // A tenant's webhook secret lives in the tenants table only; callback jobs queued before carried a copy.
    await sql`UPDATE jobs SET payload_json = json_remove(payload_json, '$.secret')
              WHERE kind = 'callback' AND json_extract(payload_json, '$.secret') IS NOT NULL`.execute(db);
  }
  await sql`CREATE INDEX IF NOT EXISTS jobs_task ON jobs (task_id, kind, status)`.execute(db);
}

/**
 * ALTER TABLE … ADD COLUMN is not idempotent in SQLite: the column is added only when the table lacks it. Kept for
 * the unversioned data directories this migration upgrades; later migrations add columns unconditionally.
 */
async function addColumnOnce(db: Kysely<any>, table: string, column: string, definition: ReturnType<typeof sql>): Promise<boolean> {
  const columns = columnTypes(db).postgres
    ? await sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns
                                  WHERE table_schema = current_schema() AND table_name = ${table}`.execute(db)
    : await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db);
  if (columns.rows.some((c) => c.name === column)) return false;
  await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN ${sql.ref(column)} ${definition}`.execute(db);
  return true;
}
