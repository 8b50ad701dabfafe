// Elements of the old elements API (spec §4.2): rows of custom_elements with library 'legacy', so delete-elements
// and element_list find them like any custom element, while each library lists only its own.

import type { Db } from './open.ts';

/** What detail_json holds for an old element: file names in its media folder. */
export interface LegacyElementDetail {
  frontal_file: string;
  refer_files: string[];
  tag_ids: string[];
  /**
   * The media folder, when it is not named by the element id: an element the relay kept before it gave kiln ids of
   * its own had the upstream's id, which kiln does not make folder names of.
   */
  folder?: string;
}

export interface LegacyElement {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  detail: LegacyElementDetail;
  created_at: number;
}

export async function addLegacyElement(db: Db, element: LegacyElement): Promise<void> {
  await db.insertInto('custom_elements').values({
    id: element.id,
    tenant_id: element.tenant_id,
    task_id: null,
    name: element.name,
    description: element.description,
    // Old elements are all multi-image elements.
    reference_type: 'image_refer',
    detail_json: JSON.stringify(element.detail),
    voice_id: null,
    status: 'succeed',
    library: 'legacy',
    created_at: element.created_at,
    updated_at: element.created_at,
  }).execute();
}

/**
 * The tenant's old elements, newest first. Deleted ones are left out: the old shape has no status to show them
 * with, and a client listing its elements to pick one should not meet one it deleted.
 */
export async function legacyElementsPage(db: Db, tenantId: string, pageNum: number, pageSize: number): Promise<LegacyElement[]> {
  const rows = await db.selectFrom('custom_elements')
    .select(['id', 'tenant_id', 'name', 'description', 'detail_json', 'created_at'])
    .where('tenant_id', '=', tenantId).where('library', '=', 'legacy').where('status', '!=', 'deleted')
    .orderBy('created_at', 'desc').orderBy('id', 'desc')
    .limit(pageSize).offset((pageNum - 1) * pageSize)
    .execute();
  return rows.map(({ detail_json, ...row }) => ({ ...row, detail: JSON.parse(detail_json) as LegacyElementDetail }));
}

/** Which element API made the tenant's element ('advanced' or 'legacy'), or undefined when the tenant has none by that id. */
export async function elementLibrary(db: Db, tenantId: string, id: string): Promise<string | undefined> {
  return (await db.selectFrom('custom_elements').select('library').where('id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirst())?.library;
}
