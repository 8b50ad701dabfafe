// Motion control on the new standard — POST /motion-control/{kling-3.0 | kling-2.6} (spec new-standard.md §3.4): the
// character of an `image` item performs the motion of a `video` item; `settings.character_orientation` (required)
// says whose orientation the output follows. No duration: the output is as long as the usable motion.

import { oneOf } from '../fields.ts';
import { perSecond } from '../pricing.ts';
import type { SourcedVideoPlan } from '../plan-more.ts';
import { MIN_MOTION_SECONDS } from '../families/motion-control.ts';
import { itemOf, itemsOf, promptOf, requestSchema, settingsOf, watermarkOf, NEW_MOTION_VIDEO_LIMITS, type NewStandardBody } from './body.ts';
import { defineEndpoint, OUTPUT_CLASS, resolutionOf } from './common.ts';
import type { NewStandardModel } from './endpoint.ts';
import { NEW_STANDARD_RATES, rateAt } from './rates.ts';
import { countRules, referencesResolve } from './rules.ts';

const motion = { promptMax: 2500, resolutions: ['720p', '1080p'], audio: ['original', 'off'], aspectRatio: false } as const;

export const MOTION_MODELS = {
  'kling-3.0': { ...motion, contentTypes: ['prompt', 'image', 'video', 'element'] },
  'kling-2.6': { ...motion, contentTypes: ['prompt', 'image', 'video'] },
} as const satisfies Record<string, NewStandardModel>;

type MotionModel = keyof typeof MOTION_MODELS;

const RATES = { 'kling-3.0': NEW_STANDARD_RATES['kling-3.0-motion'], 'kling-2.6': NEW_STANDARD_RATES['kling-2.6-motion'] };

/**
 * With an element "the output always follows the character orientation of the reference video" (§3.4): kiln accepts
 * 'image' with an element (permissive) and follows the video, with its 30 s limit.
 */
const orientation = (req: NewStandardBody) => (itemsOf(req, 'element').length ? 'video' : settingsOf(req).character_orientation);
/** The motion video lasts 3 s up to 10 s ('image') or 30 s ('video'). */
const maxSeconds = (req: NewStandardBody) => (orientation(req) === 'image' ? 10 : 30);

function motionControl(modelId: MotionModel) {
  const capability: NewStandardModel = MOTION_MODELS[modelId];
  const max = capability.contentTypes.includes('element') ? { prompt: 1, image: 1, video: 1, element: 1 } : { prompt: 1, image: 1, video: 1 };
  return defineEndpoint({
    product: 'motion-control',
    modelId,
    capability,
    request: requestSchema(capability, {
      settings: { character_orientation: oneOf(['image', 'video'] as const) },
      limits: { video: NEW_MOTION_VIDEO_LIMITS },
    }),
    // "The reference image and reference video must be supplied together" (changelog 12/22/2025).
    rules: [...countRules(max, ['image', 'video']), referencesResolve],
    references: capability.contentTypes.includes('element') ? [{ field: 'contents[].element_id', kind: 'element' }] : [],
    // Per output second, rounded; the provisional figure before the output exists is the 3 s minimum.
    units: (req, measured) =>
      perSecond(rateAt(RATES[modelId], resolutionOf(req)), Math.max(1, Math.round(measured?.seconds ?? MIN_MOTION_SECONDS))),
    plan: (req): SourcedVideoPlan => {
      const keep = settingsOf(req).audio !== 'off';
      return {
        kind: 'sourced-video',
        // Failures about the video (its length, above all) name the field this request used.
        source: { videoUrl: itemOf(req, 'video')!.url!, field: `contents[${req.contents!.findIndex((c) => c.type === 'video')}].url` },
        length: { from: 'source', maxSeconds: maxSeconds(req) },
        inherit: 'none',
        keepSourceSound: keep,
        resolution: OUTPUT_CLASS[resolutionOf(req)] as 'std' | 'pro',
        // The character, background and framing come from the image.
        aspectRatio: null,
        fps: 24,
        audio: keep,
        prompt: promptOf(req),
        shots: [],
        firstFrame: itemOf(req, 'image')!.url,
        references: [],
        watermark: watermarkOf(req),
      };
    },
  });
}

export const motionControlEndpoints = (Object.keys(MOTION_MODELS) as MotionModel[]).map(motionControl);
