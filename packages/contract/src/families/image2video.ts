// Image to Video — POST /v1/videos/image2video (spec §2.3, §8, §9, §11 rules 5–7).

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily } from '../family.ts';
import {
  cameraControl, commonTaskFields, durationField, elementId, given, imageSource, looseBoolean,
  multiPromptItem, oneOf, optionalImageSource, promptText,
} from '../fields.ts';
import { multiShotRules, shotsOf } from '../rules/multi-shot.ts';
import { cameraControlRules } from '../rules/camera-control.ts';
import { elementsModelRule } from '../rules/elements-model.ts';
import {
  FIVE_OR_TEN, THREE_TO_FIFTEEN, modeAndDurationRules, outputClass, ratePerSecond,
  soundAndShotRules, type LegacyVideoModel, type SoundAndShots, type VideoMode,
} from '../rules/legacy-video.ts';
import { perSecond } from '../pricing.ts';
import { cameraMoveOf } from '../plan.ts';
import { IMAGE_LIMITS_ANY_RATIO } from '../media-limits.ts';

const request = Type.Object({
  model_name: Type.Optional(Type.String()),
  // image and image_tail may be sent empty: "at least one of image or image_tail; both cannot be empty" [OFF].
  image: Type.Optional(optionalImageSource()),
  // The end frame: "jpg/jpeg/png ≤10 MB ≥300 px", no ratio rule documented.
  image_tail: Type.Optional(optionalImageSource({ limits: IMAGE_LIMITS_ANY_RATIO })),
  multi_shot: Type.Optional(looseBoolean({ default: false })),
  shot_type: Type.Optional(oneOf(['customize', 'intelligence'] as const)),
  prompt: Type.Optional(promptText()),
  multi_prompt: Type.Optional(Type.Array(multiPromptItem(), { maxItems: 6 })),
  negative_prompt: Type.Optional(promptText()),
  element_list: Type.Optional(Type.Array(Type.Object({ element_id: elementId() }), { maxItems: 3 })),
  voice_list: Type.Optional(Type.Array(Type.Object({ voice_id: Type.String({ minLength: 1 }) }), { maxItems: 2 })),
  sound: Type.Optional(oneOf(['on', 'off'] as const, { default: 'off' })),
  // Ignored (not refused) for kling-v2.x: see text2video.ts.
  cfg_scale: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.5 })),
  mode: Type.Optional(oneOf(['std', 'pro', '4k'] as const, { default: 'std' })),
  static_mask: Type.Optional(optionalImageSource()),
  dynamic_masks: Type.Optional(Type.Array(Type.Object({
    mask: imageSource(),
    // Pixel coordinates from the image's bottom-left corner; "5 s video: 2–77 points".
    trajectories: Type.Array(
      Type.Object({ x: Type.Integer({ minimum: 0 }), y: Type.Integer({ minimum: 0 }) }),
      { minItems: 2, maxItems: 77 },
    ),
  }), { maxItems: 6 })),
  camera_control: Type.Optional(cameraControl()),
  duration: Type.Optional(durationField(THREE_TO_FIFTEEN, { default: '5' })),
  ...commonTaskFields(),
  // No aspect_ratio: the output follows the image [OFF]; a client-sent aspect_ratio is ignored.
});
type Req = Static<typeof request>;

/** Where a feature is available: the modes and durations of its ✅ cells in the capability map. */
interface Availability {
  modes: readonly VideoMode[];
  durations: readonly number[];
}

export interface ImageToVideoModel extends LegacyVideoModel, SoundAndShots {
  /** Start/end frames (image_tail); also used for an end frame alone (the map's "end frame" row, v1-5/v1-6 pro). */
  tail?: Availability & { silentOnly?: boolean };
  /** Motion brush (static_mask / dynamic_masks). */
  masks?: Availability;
  camera?: Availability & { types: readonly string[] };
  voice?: Availability;
  elements: boolean;
}

const STD_PRO = ['std', 'pro'] as const;
const ALL_MODES = ['std', 'pro', '4k'] as const;
const PRO = ['pro'] as const;
const FIVE = [5] as const;
const legacy = { modes: STD_PRO, durations: FIVE_OR_TEN, sound: 'none', elements: false, multiShot: false } as const;

// Capability (i2v) [OFF map]; frame rates and resolutions §8.
const models: Record<string, ImageToVideoModel> = {
  'kling-v1': { ...legacy, proIs1080p: false, fps: 30, tail: { modes: STD_PRO, durations: FIVE }, masks: { modes: STD_PRO, durations: FIVE } },
  'kling-v1-5': {
    ...legacy, proIs1080p: true, fps: 30, tail: { modes: PRO, durations: FIVE_OR_TEN }, masks: { modes: PRO, durations: FIVE },
    camera: { modes: PRO, durations: FIVE, types: ['simple'] },
  },
  'kling-v1-6': { ...legacy, proIs1080p: true, fps: 30, tail: { modes: PRO, durations: FIVE_OR_TEN } },
  'kling-v2-master': { ...legacy, fixedOutput: 'std', proIs1080p: false, fps: 24 },
  'kling-v2-1': { ...legacy, proIs1080p: true, fps: 24, tail: { modes: PRO, durations: FIVE_OR_TEN } },
  'kling-v2-1-master': { ...legacy, fixedOutput: 'pro', proIs1080p: true, fps: 24 },
  'kling-v2-5-turbo': { ...legacy, proIs1080p: true, fps: 24, tail: { modes: PRO, durations: FIVE_OR_TEN } },
  'kling-v2-6': {
    ...legacy, sound: 'pro-only', proIs1080p: true, fps: 24,
    tail: { modes: PRO, durations: FIVE_OR_TEN, silentOnly: true }, voice: { modes: PRO, durations: FIVE_OR_TEN },
  },
  // Voice control on kling-v3 conflicts (§9): the map says ✗, the 02/25/2026 changelog binds voices to elements
  // "to specify the voice during video generation". Kiln accepts voice_list on kling-v3 (permissive reading).
  'kling-v3': {
    modes: ALL_MODES, durations: THREE_TO_FIFTEEN, sound: 'any', proIs1080p: true, fps: 24, elements: true, multiShot: true,
    tail: { modes: ALL_MODES, durations: THREE_TO_FIFTEEN }, voice: { modes: ALL_MODES, durations: THREE_TO_FIFTEEN },
  },
};

const hasMasks = (req: Req) => given(req.static_mask) || (req.dynamic_masks?.length ?? 0) > 0;
const hasVoices = (req: Req) => (req.voice_list?.length ?? 0) > 0;
/** Billed "with specified voice" when voice_list is non-empty and the prompt references a voice [OFF]. */
const usesVoice = (req: Req) => hasVoices(req) && /<<<voice_\d+>>>/.test(req.prompt ?? '');

function featureCheck(req: Req, name: string, field: string, where: Availability | undefined): string | undefined {
  if (!where) return `${field} (${name}) is not supported by ${req.model_name}`;
  if (!where.modes.includes(req.mode!) || !where.durations.includes(Number(req.duration))) {
    return `${field} (${name}) with ${req.model_name} requires mode ${where.modes.join(' or ')} and duration ${where.durations.join(' or ')}`;
  }
}

export const image2video = defineFamily({
  name: 'image2video',
  group: 'videos',
  title: 'Image to Video',
  path: '/v1/videos/image2video',
  pack: 'video',
  request,
  defaultModel: 'kling-v1',
  models,
  result: 'videos',
  rules: [
    {
      id: 'image-or-tail',
      text: 'at least one of image and image_tail is required',
      check: (req) => {
        if (!given(req.image) && !given(req.image_tail)) return 'image or image_tail is required (both are empty)';
      },
    },
    {
      id: 'tail-masks-camera-exclusive',
      text: 'image_tail, the motion brush (static_mask/dynamic_masks) and camera_control cannot be combined',
      check: (req) => {
        const used = [
          given(req.image_tail) && 'image_tail',
          hasMasks(req) && 'static_mask/dynamic_masks',
          req.camera_control && 'camera_control',
        ].filter(Boolean);
        if (used.length > 1) return `${used.join(' and ')} cannot be used together; use only one of image_tail, static_mask/dynamic_masks, camera_control`;
      },
    },
    {
      id: 'elements-voices-exclusive',
      text: 'element_list and voice_list cannot be used together',
      check: (req) => {
        if ((req.element_list?.length ?? 0) > 0 && hasVoices(req)) return 'element_list and voice_list cannot be used together';
      },
    },
    {
      id: 'voice-needs-sound',
      text: "voice_list requires sound 'on'",
      check: (req) => {
        if (hasVoices(req) && req.sound !== 'on') return "sound must be 'on' when voice_list is given";
      },
    },
    // The prompt is optional for a single shot ([OFF-old]; [OFF] requires it unless the storyboard is customized):
    // kiln accepts the more permissive reading. An 'intelligence' storyboard still needs one.
    ...multiShotRules<Req>({ singleShotPromptOptional: true }),
    ...modeAndDurationRules<Req>(),
    ...cameraControlRules<Req>(),
    {
      id: 'tail-model',
      text: 'image_tail (start/end frames) only where the model supports it (kling-v2-6: silent only)',
      check: (req, model) => {
        if (!given(req.image_tail)) return;
        const broken = featureCheck(req, 'start/end frames', 'image_tail', model.tail);
        if (broken) return broken;
        if (model.tail?.silentOnly && req.sound === 'on') return `image_tail with ${req.model_name} requires sound 'off'`;
      },
    },
    {
      id: 'masks-model',
      text: 'static_mask/dynamic_masks (motion brush): kling-v1 std/pro 5 s, kling-v1-5 pro 5 s',
      check: (req, model) => (hasMasks(req) ? featureCheck(req, 'motion brush', 'static_mask/dynamic_masks', model.masks) : undefined),
    },
    {
      id: 'camera-control-model',
      text: "camera_control: kling-v1-5 pro 5 s, type 'simple' only",
      check: (req, model) => {
        if (!req.camera_control) return;
        const broken = featureCheck(req, 'camera control', 'camera_control', model.camera);
        if (broken) return broken;
        if (!model.camera!.types.includes(req.camera_control.type)) {
          return `camera_control.type '${req.camera_control.type}' is not supported by ${req.model_name}; supported: ${model.camera!.types.join(', ')}`;
        }
      },
    },
    {
      id: 'voice-model',
      text: 'voice_list: kling-v2-6 pro 5/10 s, kling-v3',
      check: (req, model) => (hasVoices(req) ? featureCheck(req, 'voice control', 'voice_list', model.voice) : undefined),
    },
    elementsModelRule<Req>(),
    ...soundAndShotRules<Req>(),
  ],
  // kling-v3 takes both element kinds (multi-image and video character).
  references: [
    { field: 'element_list[].element_id', kind: 'element' },
    { field: 'voice_list[].voice_id', kind: 'voice', note: "a preset voice or one of the caller's custom voices (not a lip-sync voice)" },
  ],
  slots: () => 1,
  units: (req) => {
    const output = outputClass(models[req.model_name!], req.mode!);
    return perSecond(ratePerSecond(req.model_name!, output, req.sound === 'on', usesVoice(req)), Number(req.duration));
  },
  // aspectRatio is null: the output follows the input image. With image_tail alone there is no first frame; the
  // plan then has only lastFrame, and the output follows that image's aspect ratio instead.
  plan: (req) => {
    const model = models[req.model_name!];
    const camera = cameraMoveOf(req.camera_control);
    return {
      kind: 'video',
      resolution: outputClass(model, req.mode!),
      aspectRatio: null,
      seconds: Number(req.duration),
      fps: model.fps,
      audio: req.sound === 'on',
      prompt: req.prompt ?? '',
      shots: shotsOf(req),
      firstFrame: given(req.image) ? req.image : undefined,
      lastFrame: given(req.image_tail) ? req.image_tail : undefined,
      references: [],
      watermark: req.watermark_info?.enabled === true,
      ...(camera ? { camera } : {}),
    };
  },
});
