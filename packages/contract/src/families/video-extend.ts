// Video Extension — POST /v1/videos/video-extend (spec §2.7): continues a kling-v1/v1-5/v1-6 text2video,
// image2video or video-extend result by 4–5 s. Model and mode are the parent's, so the request has neither; the
// parent's length is stored data, so the plan names the parent and the engine adds the extension to its length.

import { Type } from '@sinclair/typebox';
import { defineFamily, NO_MODEL } from '../family.ts';
import { commonTaskFields, idString, promptText } from '../fields.ts';
import type { SourcedVideoPlan } from '../plan-more.ts';
import { perSecond } from '../pricing.ts';
import { RESULT_LIFETIME_DAYS } from '../lifetimes.ts';

const request = Type.Object({
  video_id: idString(),
  prompt: Type.Optional(promptText()),
  // The capability map says kling-v1 extensions do not support negative_prompt and cfg_scale, the field table lists
  // both (§9): kiln accepts them for every parent (permissive) and they have no effect on a kling-v1 parent.
  negative_prompt: Type.Optional(promptText()),
  cfg_scale: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.5 })),
  ...commonTaskFields(),
});

/** "Each extension can add 4 to 5 seconds": kiln's simulator adds 5. */
export const EXTENSION_SECONDS = 5;
/** "The total video duration cannot exceed 3 minutes." */
export const MAX_EXTENDED_SECONDS = 180;

export const videoExtend = defineFamily({
  name: 'video-extend',
  group: 'videos',
  title: 'Video Extension',
  path: '/v1/videos/video-extend',
  pack: 'video',
  request,
  defaultModel: NO_MODEL,
  models: { [NO_MODEL]: {} },
  result: 'videos',
  rules: [],
  references: [
    {
      field: 'video_id',
      kind: 'video',
      maxAgeDays: RESULT_LIFETIME_DAYS,
      seconds: [0, MAX_EXTENDED_SECONDS - EXTENSION_SECONDS],
      families: ['text2video', 'image2video', 'video-extend'],
      models: ['kling-v1', 'kling-v1-5', 'kling-v1-6'],
      // The seconds window keeps the extended video within 3 minutes.
    },
  ],
  slots: () => 1,
  // Billed for the seconds added. The parent's mode is not in the request; kiln bills the 720p legacy rate (0.3 per
  // second, legacy-video.ts), since no extension rate is published.
  units: () => perSecond(0.3, EXTENSION_SECONDS),
  plan: (req): SourcedVideoPlan => ({
    kind: 'sourced-video',
    source: { videoId: req.video_id },
    length: { from: 'source-plus', addSeconds: EXTENSION_SECONDS, maxSeconds: MAX_EXTENDED_SECONDS },
    inherit: 'all',
    keepSourceSound: false,
    // Used only if the parent cannot be read: what a kling-v1 parent has (720p, 30 fps).
    resolution: 'std',
    aspectRatio: null,
    fps: 30,
    audio: false,
    prompt: req.prompt ?? '',
    shots: [],
    references: [],
    watermark: req.watermark_info?.enabled === true,
  }),
});
