// POST /v1/general/delete-voices, /delete-elements and /delete-advanced-elements (spec §4.1, §4.2): deletes one of
// the caller's custom voices or elements. Presets cannot be deleted (1201); another tenant's id is answered as an
// unknown one (1203). A deleted voice or element keeps its row with status "deleted"; deleting it again succeeds
// again, so a client retrying after a lost answer is not told it failed.
// Elements of both libraries (advanced, and the old custom-elements API) are custom_elements rows: one path deletes
// either; the old list then leaves it out, the advanced one shows it as deleted.

import { KlingError } from '@kiln/contract';
import { findCustomElement, findCustomVoice, markElementDeleted, markVoiceDeleted, showElementDeleted } from '../store/custom-assets.ts';
import type { Tenant } from '../store/tenants.ts';
import { newTaskId } from '../tasks/ids.ts';
import type { ActionDeps } from './deps.ts';
import { presetElement } from './element-library.ts';
import { presetVoice } from './voice-library.ts';

/** Kling answers a delete with a task id and status; the deletion is done when it answers. */
const done = () => ({ task_id: newTaskId(), task_status: 'succeed' });

export async function deleteVoice(deps: ActionDeps, tenant: Tenant, req: { voice_id: string }) {
  const id = req.voice_id;
  if (presetVoice(id)) throw new KlingError(1201, `voice_id: '${id}' is a preset voice; only custom voices can be deleted`);
  if (!(await findCustomVoice(deps.db, tenant.id, id))) throw new KlingError(1203, `voice_id: no custom voice '${id}'`);
  await markVoiceDeleted(deps.db, tenant.id, id);
  return done();
}

export async function deleteElement(deps: ActionDeps, tenant: Tenant, req: { element_id: string | number }) {
  // Long ids arrive as strings (the JSON parser keeps them exact), short ones may be numbers.
  const id = String(req.element_id);
  if (presetElement(id)) throw new KlingError(1201, `element_id: ${id} is a preset element; only custom elements can be deleted`);
  const element = await findCustomElement(deps.db, tenant.id, id);
  if (!element) throw new KlingError(1203, `element_id: no custom element ${id}`);
  await markElementDeleted(deps.db, tenant.id, id);
  // Querying the task that made it then shows the element as deleted.
  await showElementDeleted(deps.tasks, element);
  return done();
}
