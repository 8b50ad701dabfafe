// A tenant's custom voices and elements (spec §4.1, §4.2): made by the custom-voices and advanced-custom-elements
// tasks, used by TTS and generation requests, deleted by delete-voices / delete-elements. A deleted one keeps its
// row with status `deleted` (the task that made an element then shows it so); only the owner ever finds it.

import type { StoredResult } from '../tasks/stored-result.ts';
import type { Db } from './open.ts';
import type { CustomElementsTable, CustomVoicesTable } from './schema.ts';
import type { TaskStore } from './tasks.ts';
import type { TaskMaker } from './outputs.ts';

export type CustomVoice = CustomVoicesTable;
export type CustomElement = CustomElementsTable;

/**
 * Makes what a succeeded task created one of the tenant's custom voices and elements: the voices it cloned
 * (custom-voices; a video element's speech) and its element. Run in the transaction that writes the success.
 */
export async function registerCustomAssets(db: Db, tenantId: string, taskId: string, result: StoredResult, now = Date.now()): Promise<void> {
  const elements = result.elements ?? [];
  const voices = [...(result.voices ?? []), ...elements.flatMap((e) => (e.voice ? [e.voice] : []))].filter((v) => v.made);
  const common = { tenant_id: tenantId, task_id: taskId, status: 'succeed', created_at: now, updated_at: now };
  // A cloned voice speaks whatever it is asked to (language null): the recording's language is not known.
  // A voice the tenant has already (an element's bound voice, as a relayed task shows it) stays as it was.
  for (const v of voices) {
    await db.insertInto('custom_voices').values({ ...common, id: v.id, name: v.name, language: null, trial_file: v.trialFile })
      .onConflict((c) => c.column('id').doNothing()).execute();
  }
  for (const e of elements) {
    await addCustomElement(db, {
      ...common,
      id: e.id,
      name: e.name,
      description: e.description,
      reference_type: e.referenceType,
      detail_json: JSON.stringify({ imageFiles: e.imageFiles, videoFiles: e.videoFiles, tags: e.tags }),
      voice_id: e.voice?.id ?? null,
    });
  }
}

export async function addCustomVoice(db: Db, voice: CustomVoice): Promise<void> {
  await db.insertInto('custom_voices').values(voice).execute();
}

export async function addCustomElement(db: Db, element: CustomElement): Promise<void> {
  await db.insertInto('custom_elements').values(element).execute();
}

/** The tenant's own voice, deleted or not; another tenant's is not found. */
export async function findCustomVoice(db: Db, tenantId: string, id: string): Promise<CustomVoice | undefined> {
  return db.selectFrom('custom_voices').selectAll().where('id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirst();
}

export async function findCustomElement(db: Db, tenantId: string, id: string): Promise<CustomElement | undefined> {
  return db.selectFrom('custom_elements').selectAll().where('id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirst();
}

/** The names of the tenant's custom elements that are not deleted (both libraries), for `@Name` prompt references. */
export async function customElementNames(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db.selectFrom('custom_elements').select('name').where('tenant_id', '=', tenantId).where('status', '!=', 'deleted').execute();
  return rows.map((r) => r.name);
}

export async function markVoiceDeleted(db: Db, tenantId: string, id: string, now = Date.now()): Promise<void> {
  await db.updateTable('custom_voices').set({ status: 'deleted', updated_at: now })
    .where('id', '=', id).where('tenant_id', '=', tenantId).execute();
}

export async function markElementDeleted(db: Db, tenantId: string, id: string, now = Date.now()): Promise<void> {
  await db.updateTable('custom_elements').set({ status: 'deleted', updated_at: now })
    .where('id', '=', id).where('tenant_id', '=', tenantId).execute();
}

/**
 * Shows a deleted element as `status: "deleted"` in the answer of the task that made it. The task's stored result is
 * rewritten through the TaskStore, whose cache serves queries (a raw update would leave them the old answer); its
 * updated_at moves, so a client comparing it sees the change. Run after markElementDeleted: a crash between the two
 * leaves the element deleted, and the client's retry of the delete (which succeeds again) finishes the job.
 */
export async function showElementDeleted(tasks: TaskStore, element: CustomElement, now = Date.now()): Promise<void> {
  const task = element.task_id ? await tasks.byId(element.task_id) : undefined;
  if (!task?.result_json) return;
  const result = JSON.parse(task.result_json) as StoredResult;
  const shown = result.elements?.find((e) => e.id === element.id);
  if (!shown || shown.deleted) return;
  shown.deleted = true;
  await tasks.update(task.id, { result_json: JSON.stringify(result), updated_at: Math.max(now, task.updated_at + 1) });
}

/** The task that made a tenant's custom voice or element: engine, engine state, result (the relay: its upstream, and its id there). */
export async function customAssetMaker(db: Db, tenantId: string, kind: 'voice' | 'element', id: string): Promise<TaskMaker | undefined> {
  const table = kind === 'voice' ? 'custom_voices' : 'custom_elements';
  return db.selectFrom(table).innerJoin('tasks', 'tasks.id', `${table}.task_id`)
    .select(['tasks.engine', 'tasks.engine_json', 'tasks.result_json'])
    .where(`${table}.id`, '=', id).where(`${table}.tenant_id`, '=', tenantId)
    .executeTakeFirst();
}
