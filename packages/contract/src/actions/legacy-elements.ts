// The old elements API (spec §4.2 "Old elements API", still usable after the 02/25/2026 upgrade): a multi-image
// element made synchronously from a frontal image and 1–3 other views, listed apart from the advanced library ("the
// element libraries are relatively independent and cannot perform cross-API queries"). Both libraries delete with the
// same POST /v1/general/delete-elements (general.ts), and an old element is usable in element_list like any custom
// one. Its official text was never found; the fields and limits are those of [OLD-ELEM] and of the advanced
// image_refer element.

import { Type } from '@sinclair/typebox';
import { defineAction } from '../action.ts';
import { imageSource, oneOf } from '../fields.ts';
import { ELEMENT_TAGS } from '../families/advanced-custom-elements.ts';
import { advancedPresetsElements } from './general.ts';

const ELEMENT_SHAPE =
  '{element_id, element_name, element_description, element_frontal_image, element_refer_list[{image_url}], ' +
  'tag_list[{id, name, description}], owned_by}';

export const customElements = defineAction({
  name: 'custom-elements',
  group: 'general',
  title: 'Create an element (old elements API)',
  method: 'POST',
  path: '/v1/general/custom-elements',
  request: Type.Object({
    // A reseller variant sends "model_name": "kling-v1-6" (others their own names): accepted and ignored, as a
    // stray model_name on a family without models is.
    model_name: Type.Optional(Type.String({ maxLength: 64 })),
    element_name: Type.String({ minLength: 1, maxLength: 20 }),
    element_description: Type.String({ minLength: 1, maxLength: 100 }),
    // Standard image limits (jpg/jpeg/png, ≤ 10 MB, ≥ 300 px, 1:2.5–2.5:1), checked when the images are read.
    element_frontal_image: imageSource(),
    element_refer_list: Type.Array(Type.Object({ image_url: imageSource() }), { minItems: 1, maxItems: 3 }),
    tag_list: Type.Optional(Type.Array(Type.Object({
      tag_id: oneOf(ELEMENT_TAGS, { rule: `must be a tag id: ${ELEMENT_TAGS.join(', ')}` }),
    }))),
  }),
  rules: [],
  description:
    'Makes a multi-image element at once (no task) from a frontal image and 1–3 other views; the images are kept by ' +
    'kiln. Usable in element_list like an advanced image_refer element; listed only by GET /v1/general/custom-elements.',
  response: ELEMENT_SHAPE,
});

// Both lists page like the advanced preset list: pageNum [1, 1000] (1), pageSize [1, 500] (30).
const pageQuery = advancedPresetsElements.request;

// The create and the list share a path; handlers are looked up by name, so the list's name says what it does.
export const listCustomElements = defineAction({
  name: 'list-custom-elements',
  group: 'general',
  title: 'Elements of the old elements API',
  method: 'GET',
  path: '/v1/general/custom-elements',
  request: pageQuery,
  rules: [],
  description:
    "The caller's elements made with POST /v1/general/custom-elements, newest first, paged. The old shape has no " +
    'status, so a deleted element is no longer listed (the advanced list shows it as "deleted").',
  response: `array of ${ELEMENT_SHAPE} with owned_by the creator's numeric id`,
});

export const presetsElements = defineAction({
  name: 'presets-elements',
  group: 'general',
  title: 'Preset elements (old elements API)',
  method: 'GET',
  path: '/v1/general/presets-elements',
  request: pageQuery,
  rules: [],
  description: "Kling's element library in the old shape, paged: the same elements as advanced-presets-elements.",
  response: `array of ${ELEMENT_SHAPE} with owned_by 'kling'`,
});
