// Motion Control — POST /v1/videos/motion-control (spec §2.5, §1.10): the character of an image performs the motion
// of a reference video; the output is as long as that video (3 s up to 10 s or 30 s, by character_orientation).

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily } from '../family.ts';
import { commonTaskFields, elementId, imageSource, oneOf, promptText, videoUrl } from '../fields.ts';
import { IMAGE_LIMITS, type MediaLimits } from '../media-limits.ts';
import type { SourcedVideoPlan } from '../plan-more.ts';
import { perSecond } from '../pricing.ts';
import { elementsModelRule } from '../rules/elements-model.ts';

/** The appearance image (spec §2.5): the standard image, each side up to 65536 px. */
export const MOTION_IMAGE_LIMITS = { ...IMAGE_LIMITS, maxEdge: 65536 } as const satisfies MediaLimits;
/**
 * The motion reference video (spec §2.5): mp4/mov, at most 100 MB, each side 340–3850 px. Its length (3 s up to 10 s
 * or 30 s, by orientation) depends on another field, so it is the reference's window below.
 */
export const MOTION_VIDEO_LIMITS = { formats: ['mp4', 'mov'], maxBytes: 100 * 1024 * 1024, minEdge: 340, maxEdge: 3850 } as const satisfies MediaLimits;

const request = Type.Object({
  model_name: Type.Optional(Type.String()),
  prompt: Type.Optional(promptText()),
  image_url: imageSource({ limits: MOTION_IMAGE_LIMITS }),
  video_url: videoUrl({ limits: MOTION_VIDEO_LIMITS }),
  // "Currently, only one element can be introduced."
  element_list: Type.Optional(Type.Array(Type.Object({ element_id: elementId() }), { maxItems: 1 })),
  keep_original_sound: Type.Optional(oneOf(['yes', 'no'] as const, { default: 'yes' })),
  character_orientation: oneOf(['image', 'video'] as const),
  // Required and without a default in the official table (unlike most families).
  mode: oneOf(['std', 'pro'] as const),
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

interface MotionModel {
  /** Element binding came with Kling 3.0 motion control (03/04/2026); the 2.6 new-standard contract has none. */
  elements: boolean;
  /** Units per output second (spec §1.10): 2.6 std 0.5 / pro 0.8, 3.0 std 0.9 / pro 1.2. */
  rates: { std: number; pro: number };
}

const models: Record<string, MotionModel> = {
  'kling-v2-6': { elements: false, rates: { std: 0.5, pro: 0.8 } },
  'kling-v3': { elements: true, rates: { std: 0.9, pro: 1.2 } },
};

/** The shortest motion Kling extracts; the provisional length billed before the output exists. */
export const MIN_MOTION_SECONDS = 3;

const hasElement = (req: Req) => (req.element_list?.length ?? 0) > 0;
/**
 * "When referencing the element, the generated video can only refer to the orientation of the person in the video":
 * kiln accepts `character_orientation: 'image'` with an element (permissive) and follows the video, with its 30 s limit.
 */
const orientation = (req: Req) => (hasElement(req) ? 'video' : req.character_orientation);
const maxSeconds = (req: Req) => (orientation(req) === 'image' ? 10 : 30);

export const motionControl = defineFamily({
  name: 'motion-control',
  group: 'videos',
  title: 'Motion Control',
  path: '/v1/videos/motion-control',
  pack: 'video',
  request,
  defaultModel: 'kling-v2-6',
  models,
  result: 'videos',
  rules: [
    elementsModelRule<Req>(),
  ],
  // The reference video's length is read when the task runs: 3 s at least, at most 10 s ('image') or 30 s ('video').
  references: (req) => [
    { field: 'video_url', kind: 'video-url', seconds: [3, maxSeconds(req)] },
    // kling-v3 takes both element kinds (multi-image and video character).
    { field: 'element_list[].element_id', kind: 'element' },
  ],
  slots: () => 1,
  // Per output second, "seconds rounded" (changelog): the output follows the reference video, so the figure before
  // it exists is the 3 s minimum.
  units: (req, measured) =>
    perSecond(models[req.model_name!].rates[req.mode], Math.max(1, Math.round(measured?.seconds ?? MIN_MOTION_SECONDS))),
  plan: (req): SourcedVideoPlan => ({
    kind: 'sourced-video',
    source: { videoUrl: req.video_url },
    length: { from: 'source', maxSeconds: maxSeconds(req) },
    inherit: 'none',
    keepSourceSound: req.keep_original_sound !== 'no',
    resolution: req.mode,
    // The character, background and framing come from the image.
    aspectRatio: null,
    fps: 24,
    audio: req.keep_original_sound !== 'no',
    prompt: req.prompt ?? '',
    shots: [],
    firstFrame: req.image_url,
    references: [],
    watermark: req.watermark_info?.enabled === true,
  }),
});
