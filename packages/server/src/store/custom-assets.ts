// A tenant's custom voices and elements (spec §4.1, §4.2): made by the custom-voices and advanced-custom-elements
// tasks, used by TTS and generation requests, deleted by delete-voices / delete-elements. A deleted one keeps its
// row with status `deleted` (element lists show it so); only the owner ever finds it.

import type { Db } from './open.ts';
import type { CustomElementsTable, CustomVoicesTable } from './schema.ts';

export type CustomVoice = CustomVoicesTable;
export type CustomElement = CustomElementsTable;

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

export async function markVoiceDeleted(db: Db, tenantId: string, id: string, now = Date.now()): Promise<void> {
  await db.updateTable('custom_voices').set({ status: 'deleted', updated_at: now })
    .where('id', '=', id).where('tenant_id', '=', tenantId).execute();
}

export async function markElementDeleted(db: Db, tenantId: string, id: string, now = Date.now()): Promise<void> {
  await db.updateTable('custom_elements').set({ status: 'deleted', updated_at: now })
    .where('id', '=', id).where('tenant_id', '=', tenantId).execute();
}
