// Text to Video — POST /v1/videos/text2video (spec §2.2, §8, §9, §11 rules 5 and 7).

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily } from '../family.ts';
import {
  cameraControl, commonTaskFields, durationField, looseBoolean, multiPromptItem, oneOf, promptText,
} from '../fields.ts';
import { multiShotRules, shotsOf } from '../rules/multi-shot.ts';
import { cameraControlRules } from '../rules/camera-control.ts';
import {
  FIVE_OR_TEN, THREE_TO_FIFTEEN, modeAndDurationRules, outputClass, ratePerSecond, soundAndShotRules,
  type LegacyVideoModel, type SoundAndShots,
} from '../rules/legacy-video.ts';
import { perSecond } from '../pricing.ts';
import { cameraMoveOf } from '../plan.ts';

const request = Type.Object({
  model_name: Type.Optional(Type.String()),
  multi_shot: Type.Optional(looseBoolean({ default: false })),
  shot_type: Type.Optional(oneOf(['customize', 'intelligence'] as const)),
  // [OFF-old] made prompt always required; [OFF] only without a customized storyboard (rule in multi-shot.ts).
  prompt: Type.Optional(promptText()),
  multi_prompt: Type.Optional(Type.Array(multiPromptItem(), { maxItems: 6 })),
  negative_prompt: Type.Optional(promptText()),
  sound: Type.Optional(oneOf(['on', 'off'] as const, { default: 'off' })),
  // "kling-v2.x models do not support this parameter": with its documented default of 0.5 every request carries
  // it, so kiln reads "not supported" as "ignored" for v2.x rather than refusing every v2.x request.
  cfg_scale: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.5 })),
  mode: Type.Optional(oneOf(['std', 'pro', '4k'] as const, { default: 'std' })),
  camera_control: Type.Optional(cameraControl()),
  aspect_ratio: Type.Optional(oneOf(['16:9', '9:16', '1:1'] as const, { default: '16:9' })),
  // [OFF-old] allowed 5/10 only, [OFF] 3–15 model-dependent: the schema takes the union, models narrow it (§9).
  duration: Type.Optional(durationField(THREE_TO_FIFTEEN, { default: '5' })),
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

export interface TextToVideoModel extends LegacyVideoModel, SoundAndShots {
  /** Camera control in text-to-video: kling-v1 std 5 s only ([OFF map]). */
  camera: boolean;
}

const STD_PRO = ['std', 'pro'] as const;

// Capability per model (t2v) [OFF map], frame rates §8. No source gives v2-6/v3 frame rates; kiln uses 24 fps,
// the rate of every model newer than v1-5.
const models: Record<string, TextToVideoModel> = {
  'kling-v1': { modes: STD_PRO, durations: FIVE_OR_TEN, proIs1080p: false, fps: 30, sound: 'none', multiShot: false, camera: true },
  'kling-v1-6': { modes: STD_PRO, durations: FIVE_OR_TEN, proIs1080p: true, fps: 24, sound: 'none', multiShot: false, camera: false },
  'kling-v2-master': { modes: STD_PRO, durations: FIVE_OR_TEN, fixedOutput: 'std', proIs1080p: false, fps: 24, sound: 'none', multiShot: false, camera: false },
  'kling-v2-1-master': { modes: STD_PRO, durations: FIVE_OR_TEN, fixedOutput: 'pro', proIs1080p: true, fps: 24, sound: 'none', multiShot: false, camera: false },
  'kling-v2-5-turbo': { modes: STD_PRO, durations: FIVE_OR_TEN, proIs1080p: true, fps: 24, sound: 'none', multiShot: false, camera: false },
  'kling-v2-6': { modes: STD_PRO, durations: FIVE_OR_TEN, proIs1080p: true, fps: 24, sound: 'pro-only', multiShot: false, camera: false },
  'kling-v3': { modes: ['std', 'pro', '4k'], durations: THREE_TO_FIFTEEN, proIs1080p: true, fps: 24, sound: 'any', multiShot: true, camera: false },
};

export const text2video = defineFamily({
  name: 'text2video',
  group: 'videos',
  title: 'Text to Video',
  path: '/v1/videos/text2video',
  pack: 'video',
  request,
  // §2.2: empty model_name (or the legacy `model` field) means the V1 model.
  defaultModel: 'kling-v1',
  models,
  result: 'videos',
  rules: [
    ...multiShotRules<Req>(),
    ...modeAndDurationRules<Req>(),
    ...soundAndShotRules<Req>(),
    ...cameraControlRules<Req>(),
    {
      id: 'camera-control-model',
      text: 'camera_control is supported by kling-v1 in std mode for 5 s videos only',
      check: (req, model) => {
        if (!req.camera_control) return;
        if (!model.camera) return `camera_control is not supported by ${req.model_name} (only kling-v1, std, 5 s)`;
        if (req.mode !== 'std' || Number(req.duration) !== 5) {
          return `camera_control with ${req.model_name} requires mode 'std' and duration 5`;
        }
      },
    },
  ],
  slots: () => 1,
  units: (req) => {
    const output = outputClass(models[req.model_name!], req.mode!);
    return perSecond(ratePerSecond(req.model_name!, output, req.sound === 'on', false), Number(req.duration));
  },
  plan: (req) => {
    const model = models[req.model_name!];
    const camera = cameraMoveOf(req.camera_control);
    return {
      kind: 'video',
      resolution: outputClass(model, req.mode!),
      aspectRatio: req.aspect_ratio ?? '16:9',
      seconds: Number(req.duration),
      fps: model.fps,
      audio: req.sound === 'on',
      prompt: req.prompt ?? '',
      shots: shotsOf(req),
      references: [],
      watermark: req.watermark_info?.enabled === true,
      ...(camera ? { camera } : {}),
    };
  },
});
