// The selection steps of Multi-Elements (spec §2.6): open a session on a video, mark the element to edit by clicking
// points on frames, preview the tracked mask, then create the task (families/multi-elements.ts). All synchronous.

import { Type } from '@sinclair/typebox';
import { defineAction, type InputReference } from '../action.ts';
import { idString, optionalId, optionalVideoUrl } from '../fields.ts';
import { exactlyOneRule } from '../rules/exactly-one.ts';
import type { MediaLimits } from '../media-limits.ts';
import { RESULT_LIFETIME_DAYS, SESSION_LIFETIME_DAYS } from '../lifetimes.ts';

const BASE = '/v1/videos/multi-elements';
/** The input video lasts 2–5 s (for a 5 s result) or 7–10 s (for a 10 s result). */
const WINDOWS = [[2, 5], [7, 10]] as const;

const session: InputReference = { field: 'session_id', kind: 'session', maxAgeDays: SESSION_LIFETIME_DAYS };
const sessionOnly = Type.Object({ session_id: idString() });
const STATUS = 'status (int, non-zero = rejected), session_id, final_unit_deduction';

// Click coordinates are fractions of the frame, [0, 1] each (0, 0 = top left).
const points = (maxItems?: number) =>
  Type.Array(Type.Object({ x: Type.Number({ minimum: 0, maximum: 1 }), y: Type.Number({ minimum: 0, maximum: 1 }) }), {
    minItems: 1,
    ...(maxItems ? { maxItems } : {}),
  });

/** Uploads for init-selection: mp4/mov, "between 720px and 2160px (inclusive) in both width and height", "24, 30, or
 *  60 fps"; no size limit is documented here, so the 200 MB of other video inputs applies. */
export const SELECTION_UPLOAD_LIMITS = {
  formats: ['mp4', 'mov'], maxBytes: 200 * 1024 * 1024, minEdge: 720, maxEdge: 2160, fps: [24, 30, 60],
} as const satisfies MediaLimits;

/** "At most 10 frames can be marked" per session (one frame per call), and at most 10 points per frame. */
export const SELECTION_LIMITS = { maxFrames: 10, maxPoints: 10 } as const;

export const initSelection = defineAction({
  name: 'multi-elements/init-selection',
  group: 'videos',
  title: 'Multi-Elements: initialize the video',
  method: 'POST',
  path: `${BASE}/init-selection`,
  request: Type.Object({ video_id: Type.Optional(optionalId()), video_url: Type.Optional(optionalVideoUrl({ limits: SELECTION_UPLOAD_LIMITS })) }),
  rules: [exactlyOneRule('video_id', 'video_url')],
  references: [
    { field: 'video_id', kind: 'video', maxAgeDays: RESULT_LIFETIME_DAYS, seconds: WINDOWS },
    { field: 'video_url', kind: 'video-url', seconds: WINDOWS },
  ],
  description: 'Opens an editing session (valid 24 h) on a Kling video or an uploaded one.',
  response: `${STATUS}, fps, original_duration, width, height, total_frame, normalized_video (url)`,
});

// SELECTION_LIMITS.maxFrames per session, one frame per call: the count needs the session, so the server checks it
// (as it checks frame_index against the video's total_frame).
export const addSelection = defineAction({
  name: 'multi-elements/add-selection',
  group: 'videos',
  title: 'Multi-Elements: mark an area',
  method: 'POST',
  path: `${BASE}/add-selection`,
  request: Type.Object({ session_id: idString(), frame_index: Type.Integer({ minimum: 0 }), points: points(SELECTION_LIMITS.maxPoints) }),
  rules: [],
  references: [session],
  description: 'Marks the element on one frame by up to 10 click points; answers the segmentation masks.',
  response: `${STATUS}, res{frame_index, rle_mask_list[{object_id, rle_mask{size[h,w], counts}, png_mask{size, base64}}]}`,
});

export const deleteSelection = defineAction({
  name: 'multi-elements/delete-selection',
  group: 'videos',
  title: 'Multi-Elements: unmark points',
  method: 'POST',
  path: `${BASE}/delete-selection`,
  request: Type.Object({ session_id: idString(), frame_index: Type.Integer({ minimum: 0 }), points: points() }),
  rules: [],
  references: [session],
  description: 'Removes points added on a frame (coordinates must match exactly); answers the updated masks.',
  response: `${STATUS}, res{frame_index, rle_mask_list[...]}`,
});

export const clearSelection = defineAction({
  name: 'multi-elements/clear-selection',
  group: 'videos',
  title: 'Multi-Elements: clear all marks',
  method: 'POST',
  path: `${BASE}/clear-selection`,
  request: sessionOnly,
  rules: [],
  references: [session],
  description: 'Removes every mark of the session.',
  response: STATUS,
});

export const previewSelection = defineAction({
  name: 'multi-elements/preview-selection',
  group: 'videos',
  title: 'Multi-Elements: preview the selection',
  method: 'POST',
  path: `${BASE}/preview-selection`,
  request: sessionOnly,
  rules: [],
  references: [session],
  description: 'Renders the video with the tracked mask.',
  response: `${STATUS}, res{video (url), video_cover (url), tracking_output (url)}`,
});

