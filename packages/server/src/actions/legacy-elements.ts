// POST/GET /v1/general/custom-elements and GET /v1/general/presets-elements (spec §4.2, old elements API): a
// multi-image element made while the request waits, from images read for real and held to the standard limits,
// kept by kiln and shown as its own signed URLs; the caller's old library and Kling's presets in the old shape.

import { collectMediaInputs, elementTagName, imageLimitBroken, KlingError } from '@kiln/contract';
import { creatorId } from '../accounts/creator-id.ts';
import { loadImageInput, MAX_IMAGE_BYTES, type LoadedImage } from '../engines/simulator/media/load-image.ts';
import { RESULT_LIFETIME_MS } from '../storage/local-storage.ts';
import { addLegacyElement, legacyElementsPage, type LegacyElement } from '../store/legacy-elements.ts';
import type { Tenant } from '../store/tenants.ts';
import { newTaskId } from '../tasks/ids.ts';
import { actionNamed, inputError, mediaUrl, putMedia, removeMediaDir, type ActionDeps } from './deps.ts';
import { advancedPresetsElements, type PageQuery } from './presets.ts';

export interface LegacyElementRequest {
  element_name: string;
  element_description: string;
  element_frontal_image: string;
  element_refer_list: { image_url: string }[];
  tag_list?: { tag_id: string }[];
}

/** A tag id with its documented name (spec §4.2). Kling gives its tags no description that kiln knows: ''. */
const tagOf = (id: string) => ({ id, name: elementTagName(id), description: '' });

export async function createLegacyElement(deps: ActionDeps, tenant: Tenant, req: LegacyElementRequest, now = Date.now()) {
  // Every image is read and checked before anything is kept: a bad refer image leaves no half-made element.
  const images: LoadedImage[] = [];
  for (const input of collectMediaInputs(actionNamed('custom-elements').request, req)) {
    let image;
    try {
      image = await loadImageInput(input.value, (url) => deps.fetchInput(url, MAX_IMAGE_BYTES), input.field);
    } catch (error) {
      throw inputError(input.field, error);
    }
    // Each image is held to its field's limits in the contract.
    const broken = imageLimitBroken({ format: image.format, bytes: image.buffer.length, width: image.width, height: image.height }, input.limits);
    if (broken) throw new KlingError(1201, `${input.field}: ${broken}`);
    images.push(image);
  }

  // The element's images live in a media folder named by its id, kept as sent (same bytes, same size).
  const id = newTaskId(now);
  const files = images.map((image, i) => `${i === 0 ? 'frontal' : `refer-${i}`}.${image.format === 'jpeg' ? 'jpg' : image.format}`);
  try {
    await Promise.all(images.map((image, i) => putMedia(deps, id, files[i]!, image.buffer)));
    const element: LegacyElement = {
      id,
      tenant_id: tenant.id,
      name: req.element_name,
      description: req.element_description,
      detail: { frontal_file: files[0], refer_files: files.slice(1), tag_ids: (req.tag_list ?? []).map((t) => t.tag_id) },
      created_at: now,
    };
    await addLegacyElement(deps.db, element);
    return legacyElementView(deps, tenant, element);
  } catch (error) {
    await removeMediaDir(deps, id, files);
    throw error;
  }
}

export async function listLegacyElements(deps: ActionDeps, tenant: Tenant, q: PageQuery) {
  const elements = await legacyElementsPage(deps.db, tenant.id, q.pageNum, q.pageSize);
  return elements.map((element) => legacyElementView(deps, tenant, element));
}

/** The preset library in the old shape: the advanced presets' own elements and images, re-dressed. */
export async function legacyPresetsElements(deps: ActionDeps, q: PageQuery) {
  const items = await advancedPresetsElements(deps, q);
  return items.map(({ task_result: { elements: [e] } }) => ({
    element_id: e.element_id,
    element_name: e.element_name,
    element_description: e.element_description,
    element_frontal_image: e.element_image_list.frontal_image,
    element_refer_list: e.element_image_list.refer_images,
    tag_list: e.tag_list.map((t) => tagOf(t.tag_id)),
    owned_by: e.owned_by,
  }));
}

function legacyElementView(deps: ActionDeps, tenant: Tenant, element: LegacyElement) {
  // Re-signed at every answer; each link lasts as long as a result's.
  const expires = Date.now() + RESULT_LIFETIME_MS;
  const url = (file: string) => mediaUrl(deps, element.detail.folder ?? element.id, file, expires);
  return {
    element_id: element.id,
    element_name: element.name,
    element_description: element.description,
    element_frontal_image: url(element.detail.frontal_file),
    element_refer_list: element.detail.refer_files.map((file) => ({ image_url: url(file) })),
    tag_list: element.detail.tag_ids.map(tagOf),
    owned_by: creatorId(tenant.id),
  };
}
