// Omni-Video — POST /v1/videos/omni-video (spec §2.1, §9, §11 rules 1–5).

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily } from '../family.ts';
import {
  commonTaskFields, durationField, elementId, imageSource, multiPromptItem, oneOf, promptText, videoUrl,
} from '../fields.ts';
import { multiShotRules, shotsOf } from '../rules/multi-shot.ts';
import { perSecond } from '../pricing.ts';
import type { InputReference } from '../action.ts';

const request = Type.Object({
  model_name: Type.Optional(Type.String()),
  multi_shot: Type.Optional(Type.Boolean({ default: false })),
  shot_type: Type.Optional(oneOf(['customize', 'intelligence'] as const)),
  prompt: Type.Optional(promptText()),
  multi_prompt: Type.Optional(Type.Array(multiPromptItem(), { maxItems: 6 })),
  image_list: Type.Optional(Type.Array(Type.Object({
    image_url: imageSource(),
    type: Type.Optional(oneOf(['first_frame', 'end_frame'] as const)),
  }))),
  element_list: Type.Optional(Type.Array(Type.Object({ element_id: elementId() }))),
  video_list: Type.Optional(Type.Array(Type.Object({
    video_url: videoUrl(),
    refer_type: Type.Optional(oneOf(['feature', 'base'] as const, { default: 'base' })),
    keep_original_sound: Type.Optional(oneOf(['yes', 'no'] as const)),
  }), { maxItems: 1 })),
  sound: Type.Optional(oneOf(['on', 'off'] as const, { default: 'off' })),
  mode: Type.Optional(oneOf(['std', 'pro', '4k'] as const, { default: 'pro' })),
  aspect_ratio: Type.Optional(oneOf(['16:9', '9:16', '1:1'] as const)),
  duration: Type.Optional(durationField([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], { default: '5' })),
  // Kling's own cURL examples send "callback_url": "" and "external_task_id": "" (meaning none).
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

export interface OmniModel {
  modes: readonly string[];
  maxSeconds: number;
  /** Multi-shot may be combined with start/end frames (kling-v3-omni since 05/07/2026). */
  multiShotWithFrames: boolean;
  /** Elements allowed with first+last frames (O1: none; v3-omni: 3). */
  elementsWithFirstAndLast: number;
  sound: boolean;
}

// Durations: the official page contradicts itself for O1 text-to-video (5/10 in the capability map, 3–10 in the
// FAQ); kiln accepts the more permissive 3–10 (DESIGN: permissive on input).
const models: Record<string, OmniModel> = {
  'kling-video-o1': { modes: ['std', 'pro'], maxSeconds: 10, multiShotWithFrames: false, elementsWithFirstAndLast: 0, sound: false },
  'kling-v3-omni': { modes: ['std', 'pro', '4k'], maxSeconds: 15, multiShotWithFrames: true, elementsWithFirstAndLast: 3, sound: true },
};

const framesOf = (req: Req) => ({
  first: req.image_list?.filter((i) => i.type === 'first_frame') ?? [],
  end: req.image_list?.filter((i) => i.type === 'end_frame') ?? [],
  references: req.image_list?.filter((i) => !i.type) ?? [],
});
const baseVideo = (req: Req) => req.video_list?.find((v) => (v.refer_type ?? 'base') === 'base');
const hasVideo = (req: Req) => (req.video_list?.length ?? 0) > 0;
const elementCount = (req: Req) => req.element_list?.length ?? 0;
const imageCount = (req: Req) => req.image_list?.length ?? 0;

/**
 * Which element kinds a request takes (§2.1 rules 3 and 9, §11 rule 4): kling-video-o1 only multi-image elements,
 * and no video character next to a reference video. (Rule 8's finer 3.0-omni counting lets one video character join a
 * reference video without images; the legacy rule 3, which forbids it, is the stricter reading kiln follows.)
 */
function elementKinds(req: Req): Pick<InputReference, 'elementKinds'> {
  if (req.model_name === 'kling-video-o1') {
    return { elementKinds: { only: ['image_refer'], rule: 'kling-video-o1 takes multi-image elements (image_refer) only' } };
  }
  if (hasVideo(req)) {
    return { elementKinds: { only: ['image_refer'], rule: 'with a reference video (video_list) only multi-image elements (image_refer) are accepted' } };
  }
  return {};
}

export const omniVideo = defineFamily({
  name: 'omni-video',
  group: 'videos',
  title: 'Omni-Video',
  path: '/v1/videos/omni-video',
  pack: 'video',
  request,
  defaultModel: 'kling-video-o1',
  models,
  result: 'videos',
  rules: [
    ...multiShotRules<Req>(),
    {
      id: 'mode-supported',
      text: "mode must be supported by the model ('4k' only for kling-v3-omni, and not with a reference video)",
      check: (req, model) => {
        if (!model.modes.includes(req.mode!)) return `mode '${req.mode}' is not supported by ${req.model_name}; supported: ${model.modes.join(', ')}`;
        if (req.mode === '4k' && hasVideo(req)) return "mode '4k' cannot be used with a reference video (video_list)";
      },
    },
    {
      id: 'duration-range',
      text: 'duration must be within the model range (kling-video-o1: 3–10 s, kling-v3-omni: 3–15 s)',
      check: (req, model) => {
        if (Number(req.duration) > model.maxSeconds) return `duration must be at most ${model.maxSeconds} seconds for ${req.model_name}`;
      },
    },
    {
      id: 'one-first-one-end',
      text: 'image_list holds at most one first_frame and one end_frame',
      check: (req) => {
        const { first, end } = framesOf(req);
        if (first.length > 1) return 'image_list may contain only one image of type first_frame';
        if (end.length > 1) return 'image_list may contain only one image of type end_frame';
      },
    },
    {
      id: 'end-needs-first',
      text: 'an end_frame requires a first_frame',
      check: (req) => {
        const { first, end } = framesOf(req);
        if (end.length && !first.length) return 'image_list: an end_frame image requires a first_frame image';
      },
    },
    {
      id: 'frames-not-with-base-video',
      text: 'first/end frames cannot be combined with video editing (refer_type base)',
      check: (req) => {
        const { first, end } = framesOf(req);
        if ((first.length || end.length) && baseVideo(req)) {
          return 'image_list: first_frame/end_frame cannot be combined with a video_list item of refer_type base';
        }
      },
    },
    {
      id: 'aspect-ratio-required',
      text: 'aspect_ratio is required unless a first frame or a base video is given',
      check: (req) => {
        if (!req.aspect_ratio && !framesOf(req).first.length && !baseVideo(req)) {
          return 'aspect_ratio is required when neither a first_frame image nor a base video is given';
        }
      },
    },
    {
      id: 'video-silences-sound',
      text: 'sound must be off with a reference video',
      check: (req) => {
        if (hasVideo(req) && req.sound === 'on') return "sound must be 'off' when video_list is given (use keep_original_sound)";
      },
    },
    {
      id: 'sound-model',
      text: 'sound on needs a model with native audio (kling-v3-omni)',
      check: (req, model) => {
        if (req.sound === 'on' && !model.sound) return `sound 'on' is not supported by ${req.model_name}`;
      },
    },
    {
      id: 'reference-count',
      text: 'images + elements ≤ 7 without a reference video, ≤ 4 with one',
      check: (req) => {
        const limit = hasVideo(req) ? 4 : 7;
        if (imageCount(req) + elementCount(req) > limit) {
          return `image_list and element_list together may hold at most ${limit} items ${hasVideo(req) ? 'with' : 'without'} a reference video`;
        }
      },
    },
    {
      id: 'o1-end-frame-image-count',
      text: 'kling-video-o1: no end frame when image_list has more than 2 images',
      check: (req) => {
        if (req.model_name === 'kling-video-o1' && framesOf(req).end.length && imageCount(req) > 2) {
          return 'image_list: kling-video-o1 does not support an end_frame with more than 2 images';
        }
      },
    },
    {
      id: 'elements-with-frames',
      text: 'first frame: ≤3 elements; first+last: kling-v3-omni ≤3 elements, kling-video-o1 none',
      check: (req, model) => {
        const { first, end } = framesOf(req);
        if (!first.length) return;
        const limit = end.length ? model.elementsWithFirstAndLast : 3;
        if (elementCount(req) > limit) {
          return limit === 0
            ? `element_list is not supported with first and end frames on ${req.model_name}`
            : `element_list may hold at most ${limit} elements with ${end.length ? 'first and end frames' : 'a first frame'}`;
        }
      },
    },
    {
      id: 'multi-shot-frames',
      text: 'multi_shot cannot be combined with first/end frames on kling-video-o1',
      check: (req, model) => {
        const { first, end } = framesOf(req);
        if (req.multi_shot && (first.length || end.length) && !model.multiShotWithFrames) {
          return `multi_shot cannot be combined with first_frame/end_frame images on ${req.model_name}`;
        }
      },
    },
  ],
  references: (req) => [{ field: 'element_list[].element_id', kind: 'element', ...elementKinds(req) }],
  slots: () => 1,
  units: (req) => {
    const video = hasVideo(req);
    const rates = req.model_name === 'kling-v3-omni'
      ? { std: video ? 0.9 : req.sound === 'on' ? 0.8 : 0.6, pro: video ? 1.2 : req.sound === 'on' ? 1.0 : 0.8, '4k': 3.0 }
      : { std: video ? 0.9 : 0.6, pro: video ? 1.2 : 0.8, '4k': 3.0 };
    return perSecond(rates[req.mode!], Number(req.duration));
  },
  plan: (req) => {
    const { first, end, references } = framesOf(req);
    const video = req.video_list?.[0];
    // keep_original_sound has no documented default; kiln reads a missing value as 'no' (no sound unless asked).
    const referenceVideo = video && {
      url: video.video_url,
      role: video.refer_type ?? 'base',
      keepSound: video.keep_original_sound === 'yes',
    };
    return {
      kind: 'video',
      resolution: req.mode!,
      // Video editing keeps the input's shape: aspect ratio is "not supported for video editing" [OFF FAQ], so a
      // base video's frame is followed even when aspect_ratio is sent.
      aspectRatio: referenceVideo?.role === 'base' ? null : req.aspect_ratio ?? (first.length ? null : '16:9'),
      seconds: Number(req.duration),
      fps: 24,
      audio: req.sound === 'on',
      prompt: req.prompt ?? '',
      shots: shotsOf(req),
      firstFrame: first[0]?.image_url,
      lastFrame: end[0]?.image_url,
      references: references.map((i) => i.image_url),
      watermark: req.watermark_info?.enabled === true,
      ...(referenceVideo ? { referenceVideo } : {}),
    };
  },
});
