// Video Effects — POST /v1/videos/effects (spec §2.10, §11 rule 12): a preset effect applied to one image, or to two
// images side by side for the dual-image scenes. The current docs list no model, mode or duration; the older body
// ([OFF-old]) put `duration`, and for dual-character scenes `model_name` and `mode`, inside `input`: kiln accepts both.

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily, NO_MODEL } from '../family.ts';
import { commonTaskFields, durationField, given, imageSource, oneOf, optionalImageSource } from '../fields.ts';
import { EFFECT_SCENES, isDualImageScene } from '../rules/effect-scenes.ts';
import type { EffectVideoPlan } from '../plan-more.ts';
import { perSecond } from '../pricing.ts';

const request = Type.Object({
  effect_scene: oneOf(EFFECT_SCENES, {
    rule: "must be one of Kling's effect scenes (e.g. 'color_mixing', 'hug_pro'; see /v1/videos/effects)",
  }),
  input: Type.Object({
    image: Type.Optional(optionalImageSource()),
    // Exactly two for dual-image scenes (a rule): the first is placed left, the second right.
    images: Type.Optional(Type.Array(imageSource(), { maxItems: 2 })),
    // [OFF-old]: "5" for single-image scenes, "5" or "10" for the dual-character ones.
    duration: Type.Optional(durationField([5, 10])),
    model_name: Type.Optional(oneOf(['kling-v1', 'kling-v1-5', 'kling-v1-6'] as const)),
    mode: Type.Optional(oneOf(['std', 'pro'] as const)),
  }),
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

const seconds = (req: Req) => Number(req.input.duration ?? 5);

export const effects = defineFamily({
  name: 'effects',
  group: 'videos',
  title: 'Video Effects',
  path: '/v1/videos/effects',
  pack: 'video',
  request,
  defaultModel: NO_MODEL,
  models: { [NO_MODEL]: {} },
  result: 'videos',
  rules: [
    {
      id: 'scene-images',
      text: 'single-image scenes take input.image; dual-image scenes take exactly two input.images',
      check: (req) => {
        const scene = req.effect_scene;
        if (isDualImageScene(scene)) {
          const count = req.input.images?.length ?? 0;
          if (count !== 2) return `input.images must hold exactly 2 images for the dual-image scene '${scene}' (got ${count})`;
        } else if (!given(req.input.image)) {
          return `input.image is required for the single-image scene '${scene}'`;
        }
      },
    },
    {
      id: 'scene-duration',
      text: 'input.duration 10 only for dual-image scenes',
      check: (req) => {
        if (seconds(req) === 10 && !isDualImageScene(req.effect_scene)) {
          return `input.duration must be 5 for the single-image scene '${req.effect_scene}'`;
        }
      },
    },
    {
      // [OFF-old]: "fight" only with kling-v1-6. Its default model_name was kling-v1, but the current docs have no
      // model at all, so only an explicitly different model is refused.
      id: 'fight-model',
      text: "effect_scene 'fight' needs input.model_name kling-v1-6 when a model is given",
      check: (req) => {
        const model = req.input.model_name;
        if (req.effect_scene === 'fight' && model && model !== 'kling-v1-6') {
          return `input.model_name '${model}' does not support effect_scene 'fight' (only kling-v1-6)`;
        }
      },
    },
  ],
  slots: () => 1,
  // No effect price is published (the "Video Effects Center" is NOT FOUND): kiln bills the legacy per-second rate,
  // 0.3 (std) or 0.5 (pro) per output second, as for the older models (legacy-video.ts).
  units: (req) => perSecond(req.input.mode === 'pro' ? 0.5 : 0.3, seconds(req)),
  plan: (req): EffectVideoPlan => ({
    kind: 'effect-video',
    scene: req.effect_scene,
    images: isDualImageScene(req.effect_scene) ? [...req.input.images!] : [req.input.image!],
    resolution: req.input.mode ?? 'std',
    seconds: seconds(req),
    fps: 24,
    watermark: req.watermark_info?.enabled === true,
  }),
});
