// Avatar — POST /v1/videos/avatar/image2video (spec §2.9, §1.10): a portrait speaks a sound (a TTS audio_id or a
// sound file); the video is as long as the sound (2–300 s).

import { Type } from '@sinclair/typebox';
import { defineFamily, NO_MODEL } from '../family.ts';
import { commonTaskFields, given, imageSource, oneOf, optionalAudioSource, optionalId, promptText } from '../fields.ts';
import { exactlyOneRule } from '../rules/exactly-one.ts';
import type { TalkingVideoPlan } from '../plan-more.ts';
import { perSecond } from '../pricing.ts';
import { RESULT_LIFETIME_DAYS } from '../lifetimes.ts';

const request = Type.Object({
  image: imageSource(),
  audio_id: Type.Optional(optionalId()),
  sound_file: Type.Optional(optionalAudioSource()),
  prompt: Type.Optional(promptText()),
  mode: Type.Optional(oneOf(['std', 'pro'] as const, { default: 'std' })),
  ...commonTaskFields(),
});

/** Up to 5-minute videos since 12/04/2025. */
export const MAX_AVATAR_SECONDS = 300;
/** Units per output second (spec §1.10, Avatar): 720p (std) 0.4, 1080p (pro) 0.8. */
const RATES = { std: 0.4, pro: 0.8 } as const;

export const avatar = defineFamily({
  name: 'avatar/image2video',
  group: 'videos',
  title: 'Avatar',
  path: '/v1/videos/avatar/image2video',
  pack: 'video',
  request,
  defaultModel: NO_MODEL,
  models: { [NO_MODEL]: {} },
  result: 'videos',
  rules: [exactlyOneRule('audio_id', 'sound_file')],
  references: [
    // An `audio` reference is a TTS audio (/v1/audio/tts); sound_file's format and size are the field's limits.
    { field: 'audio_id', kind: 'audio', maxAgeDays: RESULT_LIFETIME_DAYS, seconds: [2, MAX_AVATAR_SECONDS] },
    { field: 'sound_file', kind: 'audio-file', seconds: [2, MAX_AVATAR_SECONDS] },
  ],
  slots: () => 1,
  // Per output second; the output is as long as the sound, so the figure before it exists is the 2 s minimum.
  units: (req, measured) => perSecond(RATES[req.mode!], measured?.seconds ?? 2),
  plan: (req): TalkingVideoPlan => ({
    kind: 'talking-video',
    resolution: req.mode!,
    fps: 24,
    audio: given(req.audio_id) ? { audioId: req.audio_id } : { soundFile: req.sound_file! },
    length: { from: 'audio', maxSeconds: MAX_AVATAR_SECONDS },
    image: req.image,
    prompt: req.prompt ?? '',
    watermark: req.watermark_info?.enabled === true,
  }),
});
