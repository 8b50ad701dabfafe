// The outputs of succeeded tasks, by id: what `video_id` / `audio_id` in later requests refer to. Only the
// tenant's own outputs of the last 30 days resolve, as Kling documents.

import type { Transaction } from 'kysely';
import { RESULT_LIFETIME_MS } from '@kiln/contract';
import type { Db } from './open.ts';
import type { Database, OutputsTable } from './schema.ts';
import type { StoredResult } from '../tasks/stored-result.ts';

export type Output = OutputsTable;
export type TaskMaker = { engine: string; engine_json: string | null; result_json: string | null };

const THIRTY_DAYS_MS = RESULT_LIFETIME_MS;

export async function registerOutputs(trx: Transaction<Database>, tenantId: string, taskId: string, result: StoredResult, now = Date.now()): Promise<void> {
  const rows: Output[] = [
    ...(result.videos ?? []).map((v) => ({ id: v.id, kind: 'video', seconds: v.seconds, file: v.file })),
    ...(result.audios ?? []).map((a) => ({ id: a.id, kind: 'audio', seconds: a.seconds, file: a.mp3File })),
  ].map((o) => ({ ...o, tenant_id: tenantId, task_id: taskId, created_at: now }));
  if (rows.length) await trx.insertInto('outputs').values(rows).onConflict((c) => c.column('id').doNothing()).execute();
}

/** A tenant's own output of a kind, made in the last 30 days, or undefined. */
export async function findOutput(db: Db, tenantId: string, kind: 'video' | 'audio', id: string, now = Date.now()): Promise<Output | undefined> {
  return db.selectFrom('outputs').selectAll()
    .where('id', '=', id).where('tenant_id', '=', tenantId).where('kind', '=', kind)
    .where('created_at', '>', now - THIRTY_DAYS_MS)
    .executeTakeFirst();
}

/** Records one output of the tenant, as a finished task does (imports and fixtures that bring their own media). */
export async function addOutput(db: Db, output: Output): Promise<void> {
  await db.insertInto('outputs').values(output).execute();
}

/** Changes the length recorded for an output (its media file is left as it is). */
export async function setOutputSeconds(db: Db, id: string, seconds: number): Promise<void> {
  await db.updateTable('outputs').set({ seconds }).where('id', '=', id).execute();
}

/** The task that made a tenant's output: its engine, engine state and result (the relay: which upstream holds it, under which id). */
export async function outputMaker(db: Db, tenantId: string, kind: 'video' | 'audio', id: string): Promise<TaskMaker | undefined> {
  return db.selectFrom('outputs').innerJoin('tasks', 'tasks.id', 'outputs.task_id')
    .select(['tasks.engine', 'tasks.engine_json', 'tasks.result_json'])
    .where('outputs.id', '=', id).where('outputs.tenant_id', '=', tenantId).where('outputs.kind', '=', kind)
    .executeTakeFirst();
}
