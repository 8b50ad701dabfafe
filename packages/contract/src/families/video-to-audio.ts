// Video to Audio — POST /v1/audio/video-to-audio (spec §3.2, §1.10): sound effects and music for a 3–20 s video
// (a Kling video_id or an uploaded video_url); returns the audio (mp3, wav) and the video with its new sound.

import { Type } from '@sinclair/typebox';
import { defineFamily, NO_MODEL } from '../family.ts';
import { commonTaskFields, given, isTrue, looseBoolean, optionalId, optionalVideoUrl } from '../fields.ts';
import { exactlyOneRule } from '../rules/exactly-one.ts';
import type { AudioPlan } from '../plan-more.ts';
import { AUDIO_CALL_UNITS } from './text-to-audio.ts';
import type { MediaLimits } from '../media-limits.ts';
import { RESULT_LIFETIME_DAYS } from '../lifetimes.ts';

/** An uploaded video (spec §3.2): mp4/mov, at most 100 MB; its 3–20 s are the reference's window. */
export const DUBBED_VIDEO_LIMITS = { formats: ['mp4', 'mov'], maxBytes: 100 * 1024 * 1024 } as const satisfies MediaLimits;

const request = Type.Object({
  video_id: Type.Optional(optionalId()),
  video_url: Type.Optional(optionalVideoUrl({ limits: DUBBED_VIDEO_LIMITS })),
  sound_effect_prompt: Type.Optional(Type.String({ maxLength: 200 })),
  bgm_prompt: Type.Optional(Type.String({ maxLength: 200 })),
  asmr_mode: Type.Optional(looseBoolean({ default: false })),
  ...commonTaskFields(),
});

export const videoToAudio = defineFamily({
  name: 'video-to-audio',
  group: 'audio',
  title: 'Video to Audio',
  path: '/v1/audio/video-to-audio',
  pack: 'video',
  request,
  defaultModel: NO_MODEL,
  models: { [NO_MODEL]: {} },
  // The query lists the dubbed video under `videos` and the sound under `audios` (and the input as parent_video).
  result: ['videos', 'audios'],
  rules: [exactlyOneRule('video_id', 'video_url')],
  references: [
    { field: 'video_id', kind: 'video', maxAgeDays: RESULT_LIFETIME_DAYS, seconds: [3, 20] },
    { field: 'video_url', kind: 'video-url', seconds: [3, 20] },
  ],
  slots: () => 1,
  units: () => AUDIO_CALL_UNITS,
  plan: (req): AudioPlan => ({
    kind: 'audio',
    seconds: null,
    follows: given(req.video_id) ? { videoId: req.video_id } : { videoUrl: req.video_url! },
    formats: ['mp3', 'wav'],
    prompt: req.sound_effect_prompt ?? '',
    bgmPrompt: req.bgm_prompt ?? '',
    asmr: isTrue(req.asmr_mode),
    dubVideo: true,
  }),
});
