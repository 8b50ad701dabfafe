// Voices and elements a create names (spec §2.3 voice_list, §4.1, §4.2, element_list everywhere): a preset, or one of
// the caller's own custom voices / elements that is not deleted, of a kind the request allows. Another tenant's id is
// looked up like any other and not found, so its answer is word for word an unknown id's. Deleted is said: only the
// owner can meet their own deleted id.

import { KlingError, type ElementKind, type InputReference } from '@kiln/contract';
import { PRESET_ELEMENTS, presetElement } from '../actions/element-library.ts';
import { presetVoice } from '../actions/voice-library.ts';
import { customElementNames, findCustomElement, findCustomVoice } from '../store/custom-assets.ts';
import type { NamedId, ReferenceContext } from './reference-ids.ts';

const KIND_NAMES: Record<ElementKind, string> = { image_refer: 'multi-image', video_refer: 'video-character' };

export async function checkVoice(ctx: ReferenceContext, ref: InputReference, { field, id }: NamedId): Promise<void> {
  if (presetVoice(id)) {
    if (ref.customOnly) throw new KlingError(1201, `${field}: '${id}' is a preset voice; only your custom voices are accepted here`);
    return;
  }
  const voice = await findCustomVoice(ctx.db, ctx.tenantId, id);
  if (!voice) {
    throw new KlingError(1201,
      `${field}: no voice '${id}'; use a preset voice (GET /v1/general/presets-voices) or one of your custom voices`);
  }
  if (voice.status === 'deleted') throw new KlingError(1201, `${field}: voice '${id}' has been deleted`);
}

/** Checks one element and answers its kind (multi-image or video character), which some mixes depend on. */
export async function checkElement(ctx: ReferenceContext, ref: InputReference, { field, id }: NamedId): Promise<ElementKind> {
  let kind: ElementKind;
  if (presetElement(id)) {
    if (ref.customOnly) throw new KlingError(1201, `${field}: ${id} is a preset element; only your custom elements are accepted here`);
    // The preset library holds multi-image elements only (element-library.ts).
    kind = 'image_refer';
  } else {
    const element = await findCustomElement(ctx.db, ctx.tenantId, id);
    if (!element) {
      throw new KlingError(1201,
        `${field}: no element ${id}; use a preset element (GET /v1/general/advanced-presets-elements) or one of your custom elements`);
    }
    if (element.status === 'deleted') throw new KlingError(1201, `${field}: element ${id} has been deleted`);
    kind = element.reference_type as ElementKind;
  }
  if (ref.elementKinds && !ref.elementKinds.only.includes(kind)) {
    throw new KlingError(1201, `${field}: element ${id} is a ${KIND_NAMES[kind] ?? kind} element (${kind}); ${ref.elementKinds.rule}`);
  }
  return kind;
}

/**
 * The names a prompt's `@Name` may use (new standard, §2.5): the elements the caller could put in element_id, that is
 * the presets and its own custom elements that are not deleted. Another tenant's never count.
 */
export async function usableElementNames(ctx: ReferenceContext): Promise<string[]> {
  return [...PRESET_ELEMENTS.map((e) => e.element_name), ...(await customElementNames(ctx.db, ctx.tenantId))];
}
