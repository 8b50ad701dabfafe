// Synchronous endpoints of the general resources (spec §4.1, §4.2) and the account (spec §6.1): deleting custom voices
// and elements, the preset voice and element libraries, and the resource-pack balance.

import { Type } from '@sinclair/typebox';
import { defineAction } from '../action.ts';
import { elementId, idString } from '../fields.ts';

export const deleteVoices = defineAction({
  name: 'delete-voices',
  group: 'general',
  title: 'Delete a custom voice',
  method: 'POST',
  path: '/v1/general/delete-voices',
  request: Type.Object({ voice_id: idString() }),
  rules: [],
  references: [{ field: 'voice_id', kind: 'voice', customOnly: true }],
  description: 'Deletes one of the caller\'s custom voices (presets cannot be deleted).',
  response: 'task_id, task_status',
});

const deleteElementsRequest = Type.Object({ element_id: elementId() });
const DELETE_ELEMENT = {
  group: 'general',
  method: 'POST',
  request: deleteElementsRequest,
  rules: [],
  references: [{ field: 'element_id', kind: 'element', customOnly: true }],
  description:
    'Deletes one of the caller\'s custom elements, of either library (presets cannot be deleted): the advanced list then ' +
    'shows it with status "deleted", the old custom-elements list leaves it out.',
  response: 'task_id, task_status',
} as const;

// §9: [OFF] and the image element pages say /v1/general/delete-elements, the 2026-09 video element pages
// /v1/general/delete-advanced-elements. Kiln serves both, with one behaviour.
export const deleteElements = defineAction({
  ...DELETE_ELEMENT,
  name: 'delete-elements',
  title: 'Delete a custom element',
  path: '/v1/general/delete-elements',
});
export const deleteAdvancedElements = defineAction({
  ...DELETE_ELEMENT,
  name: 'delete-advanced-elements',
  title: 'Delete a custom element (video element pages\' path)',
  path: '/v1/general/delete-advanced-elements',
});

const pageQuery = (maxPageSize: number) =>
  Type.Object({
    pageNum: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: maxPageSize, default: 30 })),
  });

export const presetsVoices = defineAction({
  name: 'presets-voices',
  group: 'general',
  title: 'Preset voices',
  method: 'GET',
  path: '/v1/general/presets-voices',
  // Voice lists take pageSize up to 1000 (task lists: 500).
  request: pageQuery(1000),
  rules: [],
  description: "Kling's voice library, paged.",
  response:
    "array of {task_id, task_status, task_status_msg, created_at, updated_at, task_result{voices[{voice_id, voice_name, trial_url, owned_by: 'kling'}]}}",
});

export const advancedPresetsElements = defineAction({
  name: 'advanced-presets-elements',
  group: 'general',
  title: 'Preset elements',
  method: 'GET',
  path: '/v1/general/advanced-presets-elements',
  request: pageQuery(500),
  rules: [],
  description: "Kling's element library, paged.",
  response:
    "array of {task_id, task_status, task_status_msg, task_info, task_result{elements[{element_id, element_name, element_description, reference_type, element_image_list, element_video_list, element_voice_info, tag_list, owned_by: 'kling', status}]}, final_unit_deduction, created_at, updated_at}",
});

export const accountCosts = defineAction({
  name: 'account/costs',
  group: 'account',
  title: 'Resource packs',
  method: 'GET',
  path: '/account/costs',
  // Unix milliseconds. Whether end_time may precede start_time is not documented: such a query simply finds nothing.
  request: Type.Object({
    start_time: Type.Integer({ minimum: 0 }),
    end_time: Type.Integer({ minimum: 0 }),
    resource_pack_name: Type.Optional(Type.String({ maxLength: 256 })),
  }),
  rules: [],
  description: 'The resource packs active in the period, with their remaining quantity (free; keep to 1 query a second).',
  response:
    "{code, msg, resource_pack_subscribe_infos[{resource_pack_name, resource_pack_id, resource_pack_type: decreasing_total|constant_period, total_quantity, remaining_quantity, purchase_time, effective_time, invalid_time, status: toBeOnline|online|expired|runOut}]}",
});
