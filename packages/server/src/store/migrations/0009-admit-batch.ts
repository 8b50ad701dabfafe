// Migration 9 (PostgreSQL only): the admission of a batch of creates as one function, so a batch costs the database
// one round trip instead of six per create (insert, savepoint, pack check, slots, job, release). Round trips, not
// the work in them, were what held creates back: each costs a system call on both sides, and a create made ten.
//
// It does what TaskStore.admit does on the embedded store, create by create in the batch's order:
//   - the task row first, so a used external_task_id is found by the unique index ('duplicate'), before any check;
//   - packs of the task's type that all ran out or expired refuse it ('depleted'), as do slots over the limit
//     ('exhausted'), taken with one conditional update of the tenant's usage row (made on the tenant's first task);
//   - a refused create leaves nothing written, the others in the batch still commit;
//   - then the task's first `advance` job.
// Returns one word per create, in order: 'ok', 'duplicate', 'depleted' or 'exhausted'. A task id already taken is an
// error (raised), as on the embedded store. The store-cases suite holds both stores to the same answers.
//
// A change to the tasks or jobs columns kiln writes needs a migration that replaces this function.

import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../column-types.ts';

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql.raw(`
CREATE FUNCTION kiln_admit_batch(batch jsonb) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  item jsonb;
  task tasks;
  task_limit integer;
  outcomes text[] := '{}';
  inserted integer;
  pack_total bigint;
  pack_online bigint;
  taken integer;
BEGIN
  FOR item IN SELECT value FROM jsonb_array_elements(batch) LOOP
    task := jsonb_populate_record(NULL::tasks, item->'task');
    task_limit := (item->>'limit')::integer;
    INSERT INTO tasks (id, tenant_id, family, external_task_id, status, status_msg, model, pack, slots, units, engine,
      request_json, result_json, callback_url, watermark, engine_json, processing_at, time_offset_ms, created_at, updated_at)
    VALUES (task.id, task.tenant_id, task.family, task.external_task_id, task.status, task.status_msg, task.model,
      task.pack, task.slots, task.units, task.engine, task.request_json, task.result_json, task.callback_url,
      task.watermark, task.engine_json, task.processing_at, task.time_offset_ms, task.created_at, task.updated_at)
    ON CONFLICT (tenant_id, external_task_id) WHERE external_task_id IS NOT NULL DO NOTHING;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    IF inserted = 0 THEN
      outcomes := outcomes || 'duplicate'::text;
      CONTINUE;
    END IF;

    SELECT count(*), coalesce(sum(CASE WHEN effective_time <= task.created_at AND invalid_time > task.created_at
        AND remaining_quantity > 0 THEN 1 ELSE 0 END), 0)
      INTO pack_total, pack_online
      FROM resource_packs WHERE tenant_id = task.tenant_id AND type = task.pack;
    IF pack_total > 0 AND pack_online = 0 THEN
      DELETE FROM tasks WHERE id = task.id;
      outcomes := outcomes || 'depleted'::text;
      CONTINUE;
    END IF;

    UPDATE pack_usage SET used = used + task.slots
      WHERE tenant_id = task.tenant_id AND pack = task.pack AND used + task.slots <= task_limit;
    GET DIAGNOSTICS taken = ROW_COUNT;
    IF taken = 0 THEN
      INSERT INTO pack_usage (tenant_id, pack, used) VALUES (task.tenant_id, task.pack, 0)
        ON CONFLICT (tenant_id, pack) DO NOTHING;
      UPDATE pack_usage SET used = used + task.slots
        WHERE tenant_id = task.tenant_id AND pack = task.pack AND used + task.slots <= task_limit;
      GET DIAGNOSTICS taken = ROW_COUNT;
    END IF;
    IF taken = 0 THEN
      DELETE FROM tasks WHERE id = task.id;
      outcomes := outcomes || 'exhausted'::text;
      CONTINUE;
    END IF;

    INSERT INTO jobs (kind, task_id, tenant_id, payload_json, status, run_at, locked_until, attempts, last_error, created_at)
      VALUES ('advance', task.id, task.tenant_id, NULL, 'pending', task.created_at, NULL, 0, NULL, task.created_at);
    outcomes := outcomes || 'ok'::text;
  END LOOP;
  RETURN outcomes;
END
$$`).execute(db);
}
