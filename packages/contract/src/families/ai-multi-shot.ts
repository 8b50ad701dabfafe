// AI Multi-Shot (subject completion) — POST /v1/general/ai-multi-shot (spec §4.3): other angles of a subject from its
// frontal image, three result sets per call (`task_result.images[{index, url_1, url_2, url_3}]`).

import { Type } from '@sinclair/typebox';
import { defineFamily, NO_MODEL } from '../family.ts';
import { commonTaskFields, imageSource } from '../fields.ts';
import type { MultiViewPlan } from '../plan-more.ts';

const request = Type.Object({
  element_frontal_image: imageSource(),
  ...commonTaskFields(),
});

export const aiMultiShot = defineFamily({
  name: 'ai-multi-shot',
  group: 'general',
  title: 'AI Multi-Shot',
  path: '/v1/general/ai-multi-shot',
  // Priced with the images (kling-pricing-image) and documented as an image capability.
  pack: 'image',
  request,
  defaultModel: NO_MODEL,
  models: { [NO_MODEL]: {} },
  result: 'images',
  rules: [],
  slots: () => 1,
  // §9: 0.5 units per visit (changelog 01/23/2026) or 20 per call (image price list, 2026-09). Kiln bills the later
  // price list: 20 units per call.
  units: () => 20,
  plan: (req): MultiViewPlan => ({ kind: 'multi-view', frontal: req.element_frontal_image, sets: 3, views: 3 }),
});
