// Multi-Elements — POST /v1/videos/multi-elements (spec §2.6): adds, swaps or removes an element in the video of a
// selection session (opened by init-selection, marked by add-selection; actions/multi-elements.ts), kling-v1-6 only.

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily } from '../family.ts';
import { commonTaskFields, durationField, idString, imageSource, oneOf, promptText } from '../fields.ts';
import { FIVE_OR_TEN, modeAndDurationRules, outputClass, ratePerSecond, type LegacyVideoModel } from '../rules/legacy-video.ts';
import type { SourcedVideoPlan } from '../plan-more.ts';
import { perSecond } from '../pricing.ts';
import { SESSION_LIFETIME_DAYS } from '../lifetimes.ts';

const request = Type.Object({
  model_name: Type.Optional(Type.String()),
  session_id: idString(),
  edit_mode: oneOf(['addition', 'swap', 'removal'] as const),
  // Pre-cropped subject images: 1–2 for addition, exactly 1 for swap, none needed for removal (rule below).
  image_list: Type.Optional(Type.Array(Type.Object({ image: imageSource() }), { maxItems: 2 })),
  // The docs ask the prompt to reference <<<video_1>>> and <<<image_n>>> "to ensure optimal results": advice, not a
  // rule, so kiln does not refuse a prompt without them.
  prompt: Type.String({ minLength: 1, maxLength: 2500 }),
  negative_prompt: Type.Optional(promptText()),
  mode: Type.Optional(oneOf(['std', 'pro'] as const, { default: 'std' })),
  duration: Type.Optional(durationField(FIVE_OR_TEN, { default: '5' })),
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

// Output class as §8 gives kling-v1-6 (std 720p, pro 1080p); the frame follows the edited video.
const models: Record<string, LegacyVideoModel> = {
  'kling-v1-6': { modes: ['std', 'pro'], durations: FIVE_OR_TEN, proIs1080p: true, fps: 30 },
};

const IMAGES_NEEDED = { addition: [1, 2], swap: [1, 1] } as const;

export const multiElements = defineFamily({
  name: 'multi-elements',
  group: 'videos',
  title: 'Multi-Elements',
  path: '/v1/videos/multi-elements',
  pack: 'video',
  request,
  defaultModel: 'kling-v1-6',
  models,
  result: 'videos',
  rules: [
    {
      id: 'edit-mode-images',
      text: 'image_list: 1–2 images for addition, exactly 1 for swap (removal needs none; any sent are ignored)',
      check: (req) => {
        if (req.edit_mode === 'removal') return;
        const [min, max] = IMAGES_NEEDED[req.edit_mode];
        const count = req.image_list?.length ?? 0;
        if (count < min || count > max) {
          const wanted = min === max ? `exactly ${min} image` : `${min} to ${max} images`;
          return `image_list must hold ${wanted} when edit_mode is '${req.edit_mode}' (got ${count})`;
        }
      },
    },
    ...modeAndDurationRules<Req>(),
  ],
  // The session's video decides the duration: 2–5 s for "5", 7–10 s for "10".
  references: (req) => [
    {
      field: 'session_id',
      kind: 'session',
      sessionKind: 'multi-elements',
      maxAgeDays: SESSION_LIFETIME_DAYS,
      seconds: Number(req.duration) === 10 ? [7, 10] : [2, 5],
      secondsRule: `for duration '${Number(req.duration)}'`,
    },
  ],
  slots: () => 1,
  // No multi-elements rate is published: billed like the other kling-v1-6 tasks (legacy-video.ts), per second.
  units: (req) =>
    perSecond(ratePerSecond(req.model_name!, outputClass(models[req.model_name!], req.mode!), false, false), Number(req.duration)),
  plan: (req): SourcedVideoPlan => ({
    kind: 'sourced-video',
    source: { sessionId: req.session_id },
    length: { from: 'fixed', seconds: Number(req.duration) },
    inherit: 'frame',
    keepSourceSound: false,
    editMode: req.edit_mode,
    resolution: outputClass(models[req.model_name!], req.mode!),
    aspectRatio: null,
    fps: models[req.model_name!].fps,
    audio: false,
    prompt: req.prompt,
    shots: [],
    references: req.edit_mode === 'removal' ? [] : (req.image_list ?? []).map((i) => i.image),
    watermark: req.watermark_info?.enabled === true,
  }),
});
