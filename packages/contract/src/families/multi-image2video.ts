// Multi-Image to Video — POST /v1/videos/multi-image2video (spec §2.4): up to 4 pre-cropped subject images and a
// prompt, kling-v1-6 only.

import { Type } from '@sinclair/typebox';
import { defineFamily } from '../family.ts';
import { commonTaskFields, durationField, imageSource, oneOf, promptText } from '../fields.ts';
import { FIVE_OR_TEN, modeAndDurationRules, outputClass, ratePerSecond, type LegacyVideoModel } from '../rules/legacy-video.ts';
import { perSecond } from '../pricing.ts';

const request = Type.Object({
  model_name: Type.Optional(Type.String()),
  image_list: Type.Array(Type.Object({ image: imageSource() }), { minItems: 1, maxItems: 4 }),
  prompt: Type.String({ minLength: 1, maxLength: 2500 }),
  negative_prompt: Type.Optional(promptText()),
  mode: Type.Optional(oneOf(['std', 'pro'] as const, { default: 'std' })),
  duration: Type.Optional(durationField(FIVE_OR_TEN, { default: '5' })),
  aspect_ratio: Type.Optional(oneOf(['16:9', '9:16', '1:1'] as const, { default: '16:9' })),
  ...commonTaskFields(),
});

// §8 gives kling-v1-6 720p std / 1080p pro, at 30 fps for image-to-video and 24 fps for text-to-video. This family
// turns images into video, so kiln renders it at the image-to-video rate (30 fps); no source states it directly.
const models: Record<string, LegacyVideoModel> = {
  'kling-v1-6': { modes: ['std', 'pro'], durations: FIVE_OR_TEN, proIs1080p: true, fps: 30 },
};

export const multiImage2video = defineFamily({
  name: 'multi-image2video',
  group: 'videos',
  title: 'Multi-Image to Video',
  path: '/v1/videos/multi-image2video',
  pack: 'video',
  request,
  defaultModel: 'kling-v1-6',
  models,
  result: 'videos',
  rules: [...modeAndDurationRules()],
  slots: () => 1,
  units: (req) =>
    perSecond(ratePerSecond(req.model_name!, outputClass(models[req.model_name!], req.mode!), false, false), Number(req.duration)),
  plan: (req) => {
    const model = models[req.model_name!];
    return {
      kind: 'video',
      resolution: outputClass(model, req.mode!),
      aspectRatio: req.aspect_ratio ?? '16:9',
      seconds: Number(req.duration),
      fps: model.fps,
      audio: false,
      prompt: req.prompt,
      shots: [],
      references: req.image_list.map((i) => i.image),
      watermark: req.watermark_info?.enabled === true,
    };
  },
});
