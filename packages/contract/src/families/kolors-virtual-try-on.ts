// Virtual Try-On — POST /v1/images/kolors-virtual-try-on (spec §5.5): a person image wearing a garment image. Counted
// in its own resource-pack type ("virtual try-on"), one slot per task.

import { Type } from '@sinclair/typebox';
import { defineFamily } from '../family.ts';
import { commonTaskFields, given, imageSource, optionalImageSource } from '../fields.ts';
import { IMAGE_LIMITS_ANY_RATIO } from '../media-limits.ts';
import type { TryOnPlan } from '../plan-more.ts';

const request = Type.Object({
  model_name: Type.Optional(Type.String()),
  // "jpg/jpeg/png ≤10 MB ≥300 px" for both images: no ratio rule is documented.
  human_image: imageSource({ limits: IMAGE_LIMITS_ANY_RATIO }),
  // Optional in [OFF-old], required by resellers (§9): kiln accepts a request without it (permissive).
  cloth_image: Type.Optional(optionalImageSource({ limits: IMAGE_LIMITS_ANY_RATIO })),
  ...commonTaskFields(),
});

export interface TryOnModel {
  /** v1-5 also takes one image combining an upper and a lower garment (other pairs fail when generated). */
  combinedGarments: boolean;
}

const models: Record<string, TryOnModel> = {
  'kolors-virtual-try-on-v1': { combinedGarments: false },
  'kolors-virtual-try-on-v1-5': { combinedGarments: true },
};

export const kolorsVirtualTryOn = defineFamily({
  name: 'kolors-virtual-try-on',
  group: 'images',
  title: 'Virtual Try-On',
  path: '/v1/images/kolors-virtual-try-on',
  pack: 'try-on',
  request,
  defaultModel: 'kolors-virtual-try-on-v1',
  models,
  result: 'images',
  rules: [],
  slots: () => 1,
  // No try-on price is published; try-on packs count tasks, so kiln bills 1 unit per task (one image).
  units: () => 1,
  plan: (req): TryOnPlan => ({
    kind: 'try-on',
    person: req.human_image,
    garment: given(req.cloth_image) ? req.cloth_image : undefined,
    count: 1,
    watermark: req.watermark_info?.enabled === true,
  }),
});
