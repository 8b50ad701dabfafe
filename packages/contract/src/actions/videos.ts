// Synchronous video helpers: identify-face (the first step of lip-sync, spec §2.8) and image-recognize (subject,
// head, face and clothing masks of an image, spec §2.11).

import { Type } from '@sinclair/typebox';
import { defineAction } from '../action.ts';
import { imageSource, optionalId, optionalVideoUrl } from '../fields.ts';
import { exactlyOneRule } from '../rules/exactly-one.ts';
import type { MediaLimits } from '../media-limits.ts';
import { RESULT_LIFETIME_DAYS } from '../lifetimes.ts';

/**
 * Uploads for identify-face: "mp4/mov ≤ 100 MB, 720p or 1080p, width and height 512–2160 px" ("720p or 1080p" reads
 * as the edges that follow). Its 2–60 s are the reference's window.
 */
export const FACE_UPLOAD_LIMITS = { formats: ['mp4', 'mov'], maxBytes: 100 * 1024 * 1024, minEdge: 512, maxEdge: 2160 } as const satisfies MediaLimits;

export const identifyFace = defineAction({
  name: 'identify-face',
  group: 'videos',
  title: 'Lip-Sync: identify faces',
  method: 'POST',
  // [OFF-old] spelled it /v1/videos/Identify-face; the current path is lowercase.
  path: '/v1/videos/identify-face',
  request: Type.Object({ video_id: Type.Optional(optionalId()), video_url: Type.Optional(optionalVideoUrl({ limits: FACE_UPLOAD_LIMITS })) }),
  rules: [exactlyOneRule('video_id', 'video_url')],
  references: [
    { field: 'video_id', kind: 'video', maxAgeDays: RESULT_LIFETIME_DAYS, seconds: [0, 60] },
    { field: 'video_url', kind: 'video-url', seconds: [2, 60] },
  ],
  description: 'Finds the faces of a video and opens a lip-sync session (valid 24 h) for advanced-lip-sync.',
  response: 'session_id, final_unit_deduction, face_data[{face_id, face_image (url), start_time (ms), end_time (ms)}]',
  // "Lip-sync face recognition: 0.05 units per call" (spec §1.10).
  units: () => 0.05,
});

export const imageRecognize = defineAction({
  name: 'image-recognize',
  group: 'videos',
  title: 'Image Recognize',
  method: 'POST',
  path: '/v1/videos/image-recognize',
  request: Type.Object({ image: imageSource() }),
  rules: [],
  description: 'Segments an image: subject, head with hair, face without hair, clothing (inputs for multi-image tasks).',
  response: 'final_unit_deduction, task_result.images[{type: object_seg|head_seg|face_seg|cloth_seg, is_contain (boolean), url}]',
  // "Image recognition: 0.1 units per call" (spec §1.10).
  units: () => 0.1,
});
