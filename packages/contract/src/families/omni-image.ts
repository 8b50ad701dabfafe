// Omni-Image — POST /v1/images/omni-image (spec §5.1, §9, §11 rule 8): single images or an image series from a
// prompt with reference images and elements.

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily } from '../family.ts';
import { commonTaskFields, elementId, imageSource, looseInteger, oneOf } from '../fields.ts';
import { referenceLimitRule } from '../rules/reference-limit.ts';

const request = Type.Object({
  model_name: Type.Optional(Type.String()),
  prompt: Type.String({ minLength: 1, maxLength: 2500 }),
  image_list: Type.Optional(Type.Array(Type.Object({ image: imageSource() }), { maxItems: 10 })),
  element_list: Type.Optional(Type.Array(Type.Object({ element_id: elementId() }), { maxItems: 10 })),
  // O1's capability map lists 1K/2K only while the enum (and [003]) list 4k for the field: kiln accepts 4k for both
  // models (§9, permissive) and renders it.
  resolution: Type.Optional(oneOf(['1k', '2k', '4k'] as const, { default: '1k' })),
  result_type: Type.Optional(oneOf(['single', 'series'] as const, { default: 'single' })),
  // Both counts have defaults, so both are always present: `n` is ignored for series and `series_amount` for single
  // (the docs' "invalid when ..."), rather than refused.
  n: Type.Optional(looseInteger(1, 9, { default: 1 })),
  // 2–9 [000]; 2–9 or "auto" since 04/27/2026 [VD] — the union is accepted (§9).
  series_amount: Type.Optional(Type.Union(
    [Type.Integer({ minimum: 2, maximum: 9 }), Type.String({ pattern: '^(?:[2-9]|auto)$' })],
    { default: 4, rule: "must be an integer from 2 to 9 or 'auto'" },
  )),
  aspect_ratio: Type.Optional(oneOf(
    ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9', 'auto'] as const,
    { default: 'auto' },
  )),
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

export interface OmniImageModel {
  /** Series generation (result_type 'series'). */
  series: boolean;
  /** Units per image at 1K/2K and at 4K (spec §1.10: O1 8; 3.0 Omni 8, 4K 16). */
  price: { standard: number; uhd: number };
}

// O1 has no published 4K price (its map has no 4K); a 4K image is billed like 3.0 Omni 4K.
const models: Record<string, OmniImageModel> = {
  'kling-image-o1': { series: false, price: { standard: 8, uhd: 16 } },
  'kling-v3-omni': { series: true, price: { standard: 8, uhd: 16 } },
};

/**
 * `series_amount: "auto"` lets Kling pick the count and hold concurrency for the actual number generated. Kiln must
 * know the count before it admits the task, so "auto" deterministically means 4, the field's documented default.
 */
export const AUTO_SERIES_COUNT = 4;

const isSeries = (req: Req) => req.result_type === 'series';
const imageCount = (req: Req) => req.image_list?.length ?? 0;
const elementCount = (req: Req) => req.element_list?.length ?? 0;

function outputCount(req: Req): number {
  if (!isSeries(req)) return Number(req.n);
  return req.series_amount === 'auto' ? AUTO_SERIES_COUNT : Number(req.series_amount);
}

export const omniImage = defineFamily({
  name: 'omni-image',
  group: 'images',
  title: 'Omni-Image',
  path: '/v1/images/omni-image',
  pack: 'image',
  request,
  defaultModel: 'kling-image-o1',
  models,
  result: 'images',
  rules: [
    referenceLimitRule<Req>(10, 'image_list and element_list', (req) => imageCount(req) + elementCount(req)),
    {
      id: 'series-model',
      text: "result_type 'series' needs kling-v3-omni (kling-image-o1 makes single images only)",
      check: (req, model) => {
        if (isSeries(req) && !model.series) return `result_type 'series' is not supported by ${req.model_name} (single images only)`;
      },
    },
    // The image capability map says kling-v3-omni text-to-image "does not support auto ratio". `auto` is also the
    // field's default, so refusing it would refuse a request that never mentioned a ratio; kiln accepts it, and
    // with no reference image the plan's null ratio renders 1:1 (ImagePlan).
  ],
  // §5.1: element control takes multi-image elements only; an image cannot use a video character.
  references: [{
    field: 'element_list[].element_id',
    kind: 'element',
    elementKinds: { only: ['image_refer'], rule: 'omni-image takes multi-image elements (image_refer) only' },
  }],
  slots: (req) => outputCount(req),
  units: (req) => {
    const price = models[req.model_name!].price;
    return outputCount(req) * (req.resolution === '4k' ? price.uhd : price.standard);
  },
  plan: (req) => ({
    kind: 'image',
    resolution: req.resolution!,
    aspectRatio: req.aspect_ratio === 'auto' || !req.aspect_ratio ? null : req.aspect_ratio,
    count: outputCount(req),
    series: isSeries(req),
    prompt: req.prompt,
    references: req.image_list?.map((i) => i.image) ?? [],
    watermark: req.watermark_info?.enabled === true,
  }),
});
