// Image Generation — POST /v1/images/generations (spec §5.2, §9, §11 rule 8): text-to-image and image-to-image.
// Two generations of the page disagree on models and on which model takes `image_reference`; kiln accepts the union
// of both (§9, permissive on input) and keeps each model's own limits.

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily } from '../family.ts';
import {
  commonTaskFields, elementId, given, looseInteger, oneOf, optionalImageSource, promptText,
} from '../fields.ts';
import { referenceLimitRule } from '../rules/reference-limit.ts';
import { elementsModelRule } from '../rules/elements-model.ts';

const RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9'] as const;
type Ratio = (typeof RATIOS)[number];

const request = Type.Object({
  model_name: Type.Optional(Type.String()),
  prompt: Type.String({ minLength: 1, maxLength: 2500 }),
  // Not allowed with `image`; the empty string Kling's own image-to-image example sends counts as absent.
  negative_prompt: Type.Optional(promptText()),
  image: Type.Optional(optionalImageSource()),
  image_reference: Type.Optional(oneOf(['subject', 'face'] as const)),
  image_fidelity: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.5 })),
  // "Only takes effect when image_reference is subject": with its default always present, it is ignored otherwise.
  human_fidelity: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.45 })),
  element_list: Type.Optional(Type.Array(Type.Object({ element_id: elementId() }), { maxItems: 10 })),
  resolution: Type.Optional(oneOf(['1k', '2k'] as const, { default: '1k' })),
  n: Type.Optional(looseInteger(1, 9, { default: 1 })),
  aspect_ratio: Type.Optional(oneOf(RATIOS, { default: '16:9' })),
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

export interface GenerationModel {
  resolutions: readonly ('1k' | '2k')[];
  ratios: readonly Ratio[];
  /** Accepts image_reference ([OFF-old]: kling-v1-5, required there with an image; [VD]: kling-v2-1). */
  imageReference: 'no' | 'optional' | 'required-with-image';
  /** element_list (elements + images ≤ 10): kling-v3 only ([VD]; the 2.1 map has no subject control). */
  elements: boolean;
  /** kling-v2-new only restyles an input image ([OFF-old map]: no text-to-image). */
  needsImage: boolean;
  /**
   * Units per image (spec §1.10): Image 3.0 8; Image 2.1 text-to-image 4, image-to-image 8. The 2025 models have no
   * published price and are billed like 2.1.
   */
  price: { text: number; image: number };
}

const V21_PRICE = { text: 4, image: 8 } as const;
const NO_21_9 = RATIOS.filter((r) => r !== '21:9');

// [OFF-old map]: v1/v1-5 render 1K only; v2 renders 2K for text-to-image (1K image-to-image: not refused, kiln is
// permissive there); v2-new keeps the input's resolution, so its `resolution` is accepted and has no effect.
const models: Record<string, GenerationModel> = {
  'kling-v3': { resolutions: ['1k', '2k'], ratios: RATIOS, imageReference: 'no', elements: true, needsImage: false, price: { text: 8, image: 8 } },
  'kling-v2-1': { resolutions: ['1k', '2k'], ratios: RATIOS, imageReference: 'optional', elements: false, needsImage: false, price: V21_PRICE },
  'kling-v1': { resolutions: ['1k'], ratios: NO_21_9, imageReference: 'no', elements: false, needsImage: false, price: V21_PRICE },
  'kling-v1-5': { resolutions: ['1k'], ratios: RATIOS, imageReference: 'required-with-image', elements: false, needsImage: false, price: V21_PRICE },
  'kling-v2': { resolutions: ['1k', '2k'], ratios: RATIOS, imageReference: 'no', elements: false, needsImage: false, price: V21_PRICE },
  'kling-v2-new': { resolutions: ['1k', '2k'], ratios: RATIOS, imageReference: 'no', elements: false, needsImage: true, price: V21_PRICE },
};

const elementCount = (req: Req) => req.element_list?.length ?? 0;

export const generations = defineFamily({
  name: 'generations',
  group: 'images',
  title: 'Image Generation',
  path: '/v1/images/generations',
  pack: 'image',
  request,
  // §9: [OFF-old] defaults to kling-v1 ("empty model_name = V1 model"), the 2026-09 table to kling-v3. Kiln follows
  // the current table.
  defaultModel: 'kling-v3',
  models,
  result: 'images',
  rules: [
    {
      id: 'negative-prompt-without-image',
      text: 'negative_prompt is not supported for image-to-image (when image is given)',
      check: (req) => {
        if (given(req.image) && given(req.negative_prompt)) return 'negative_prompt is not supported when image is given (image-to-image)';
      },
    },
    {
      id: 'image-reference-needs-image',
      text: 'image is required when image_reference is set',
      check: (req) => {
        if (req.image_reference && !given(req.image)) return `image is required when image_reference is '${req.image_reference}'`;
      },
    },
    {
      id: 'image-reference-model',
      text: 'image_reference is supported by kling-v1-5 and kling-v2-1 only (and required by kling-v1-5 with an image)',
      check: (req, model) => {
        if (req.image_reference && model.imageReference === 'no') {
          return `image_reference is not supported by ${req.model_name} (only kling-v1-5 and kling-v2-1)`;
        }
        if (!req.image_reference && given(req.image) && model.imageReference === 'required-with-image') {
          return `image_reference ('subject' or 'face') is required by ${req.model_name} when image is given`;
        }
      },
    },
    elementsModelRule<Req>(),
    referenceLimitRule<Req>(10, 'image and element_list', (req) => (given(req.image) ? 1 : 0) + elementCount(req)),
    {
      id: 'resolution-model',
      text: 'resolution must be supported by the model (kling-v1, kling-v1-5: 1k only)',
      check: (req, model) => {
        if (!model.resolutions.includes(req.resolution!)) {
          return `resolution '${req.resolution}' is not supported by ${req.model_name}; supported: ${model.resolutions.join(', ')}`;
        }
      },
    },
    {
      id: 'aspect-ratio-model',
      text: "aspect_ratio must be supported by the model (kling-v1: no '21:9')",
      check: (req, model) => {
        if (!model.ratios.includes(req.aspect_ratio!)) return `aspect_ratio '${req.aspect_ratio}' is not supported by ${req.model_name}`;
      },
    },
    {
      id: 'image-required-by-model',
      text: 'kling-v2-new restyles an image: image is required',
      check: (req, model) => {
        if (model.needsImage && !given(req.image)) return `image is required by ${req.model_name} (image-to-image restyle only)`;
      },
    },
  ],
  // The page is silent on element kinds; like omni-image (§5.1), an image cannot use a video character.
  references: [{
    field: 'element_list[].element_id',
    kind: 'element',
    elementKinds: { only: ['image_refer'], rule: 'generations takes multi-image elements (image_refer) only' },
  }],
  slots: (req) => Number(req.n),
  units: (req) => {
    const price = models[req.model_name!].price;
    return Number(req.n) * (given(req.image) ? price.image : price.text);
  },
  plan: (req) => ({
    kind: 'image',
    resolution: req.resolution!,
    aspectRatio: req.aspect_ratio ?? '16:9',
    count: Number(req.n),
    series: false,
    prompt: req.prompt,
    references: given(req.image) ? [req.image] : [],
    watermark: req.watermark_info?.enabled === true,
  }),
});
