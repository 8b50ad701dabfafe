// Image Expansion (outpainting) — POST /v1/images/editing/expand (spec §5.4, §11 rule 11): grows an image by a
// multiple of its height upwards/downwards and of its width left/right, to at most 3× its area.

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily, NO_MODEL } from '../family.ts';
import { commonTaskFields, imageSource, looseInteger, promptText } from '../fields.ts';
import { IMAGE_LIMITS_ANY_RATIO } from '../media-limits.ts';
import type { ExpandPlan, ExpansionRatios } from '../plan-more.ts';

// "Required, default 0" in the table: a missing ratio is read as its default 0 (permissive).
const ratio = () => Type.Optional(Type.Number({ minimum: 0, maximum: 2, default: 0 }));

const request = Type.Object({
  // "jpg/jpeg/png, ≤10 MB, ≥300 px": no ratio rule is documented for the image to expand.
  image: imageSource({ limits: IMAGE_LIMITS_ANY_RATIO }),
  up_expansion_ratio: ratio(),
  down_expansion_ratio: ratio(),
  left_expansion_ratio: ratio(),
  right_expansion_ratio: ratio(),
  prompt: Type.Optional(promptText()),
  n: Type.Optional(looseInteger(1, 9, { default: 1 })),
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

export const MAX_AREA_FACTOR = 3;

const ratiosOf = (req: Req): ExpansionRatios => ({
  up: req.up_expansion_ratio ?? 0,
  down: req.down_expansion_ratio ?? 0,
  left: req.left_expansion_ratio ?? 0,
  right: req.right_expansion_ratio ?? 0,
});
/** The new image's area as a multiple of the original's. */
export const areaFactor = (r: ExpansionRatios) => (1 + r.up + r.down) * (1 + r.left + r.right);

export const expand = defineFamily({
  name: 'editing/expand',
  group: 'images',
  title: 'Image Expansion',
  path: '/v1/images/editing/expand',
  pack: 'image',
  request,
  defaultModel: NO_MODEL,
  models: { [NO_MODEL]: {} },
  result: 'images',
  rules: [
    {
      // The docs' own helper rounds ratios to 4 decimals, so its 3× example comes out at 2.9999: a small tolerance
      // keeps results of that helper valid.
      id: 'area',
      text: '(1 + up + down) × (1 + left + right) ≤ 3: the new image is at most 3 times the original area',
      check: (req) => {
        const area = areaFactor(ratiosOf(req));
        if (area > MAX_AREA_FACTOR + 1e-3) {
          return `up/down/left/right_expansion_ratio: the expanded image would be ${area.toFixed(2)} times the original area (at most 3 allowed: (1 + up + down) × (1 + left + right) ≤ 3)`;
        }
      },
    },
  ],
  slots: (req) => Number(req.n),
  // "Outpainting: 8 units per image" (spec §1.10).
  units: (req) => 8 * Number(req.n),
  plan: (req): ExpandPlan => ({
    kind: 'expand',
    image: req.image,
    ratios: ratiosOf(req),
    count: Number(req.n),
    prompt: req.prompt ?? '',
    watermark: req.watermark_info?.enabled === true,
  }),
});
