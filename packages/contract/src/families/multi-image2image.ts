// Multi-Image to Image — POST /v1/images/multi-image2image (spec §5.3, §9): an image from up to 4 pre-cropped subject
// images, optionally a scene and a style image, and a prompt.

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily } from '../family.ts';
import { commonTaskFields, given, imageSource, looseInteger, oneOf, optionalImageSource, promptText } from '../fields.ts';

const RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9'] as const;

const request = Type.Object({
  model_name: Type.Optional(Type.String()),
  prompt: Type.Optional(promptText()),
  // Not in the field table, but the official example sends "negative_prompt": "": accepted, no effect.
  negative_prompt: Type.Optional(promptText()),
  // Required in [VD] and [004], optional in [OFF-old] (§9): kiln accepts a request without it (permissive) as long as
  // some image is given (rule below).
  subject_image_list: Type.Optional(Type.Array(Type.Object({ subject_image: imageSource() }), { minItems: 1, maxItems: 4 })),
  scene_image: Type.Optional(optionalImageSource()),
  style_image: Type.Optional(optionalImageSource()),
  n: Type.Optional(looseInteger(1, 9, { default: 1 })),
  aspect_ratio: Type.Optional(oneOf(RATIOS, { default: '16:9' })),
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

// §9: [VD] lists kling-v2-1 only (its default); [OFF-old] and [004] also kling-v2 (their default). Kiln accepts both
// and defaults to the current kling-v2-1. "Multi-image to image: 16 units per image" (spec §1.10), both models.
const models: Record<string, { unitsPerImage: number }> = {
  'kling-v2-1': { unitsPerImage: 16 },
  'kling-v2': { unitsPerImage: 16 },
};

const images = (req: Req) => [
  ...(req.subject_image_list ?? []).map((s) => s.subject_image),
  ...(given(req.scene_image) ? [req.scene_image] : []),
  ...(given(req.style_image) ? [req.style_image] : []),
];

export const multiImage2image = defineFamily({
  name: 'multi-image2image',
  group: 'images',
  title: 'Multi-Image to Image',
  path: '/v1/images/multi-image2image',
  pack: 'image',
  request,
  defaultModel: 'kling-v2-1',
  models,
  result: 'images',
  rules: [
    {
      id: 'some-image',
      text: 'at least one image: subject_image_list (1–4), scene_image or style_image',
      check: (req) => {
        if (images(req).length === 0) return 'subject_image_list is required (1 to 4 subject images) when no scene_image or style_image is given';
      },
    },
  ],
  slots: (req) => Number(req.n),
  units: (req) => Number(req.n) * models[req.model_name!].unitsPerImage,
  plan: (req) => ({
    kind: 'image',
    resolution: '1k',
    aspectRatio: req.aspect_ratio!,
    count: Number(req.n),
    series: false,
    prompt: req.prompt ?? '',
    references: images(req),
    watermark: req.watermark_info?.enabled === true,
  }),
});
