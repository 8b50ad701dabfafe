// Advanced Lip-Sync — POST /v1/videos/advanced-lip-sync (spec §2.8, §11 rules 9–10): one face of an identify-face
// session speaks a sound (a TTS audio_id or a sound file), cropped and inserted at a point of the video.

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily, NO_MODEL } from '../family.ts';
import { commonTaskFields, given, idString, msTime, optionalAudioSource, optionalId } from '../fields.ts';
import { exactlyOneBroken } from '../rules/exactly-one.ts';
import type { TalkingVideoPlan } from '../plan-more.ts';
import { RESULT_LIFETIME_DAYS, SESSION_LIFETIME_DAYS } from '../lifetimes.ts';

const volume = () => Type.Optional(Type.Number({ minimum: 0, maximum: 2, default: 1 }));

const request = Type.Object({
  session_id: idString(),
  // "Currently only supports one person lip-sync."
  face_choose: Type.Array(Type.Object({
    face_id: idString(),
    audio_id: Type.Optional(optionalId()),
    sound_file: Type.Optional(optionalAudioSource()),
    sound_start_time: msTime(),
    sound_end_time: msTime(),
    sound_insert_time: msTime(),
    sound_volume: volume(),
    original_audio_volume: volume(),
  }), { minItems: 1, maxItems: 1, rule: 'must hold exactly one face (one person only)' }),
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

/** The cropped sound, and its overlap with the face, last at least this long. */
export const MIN_CLIP_MS = 2000;
/** Audio and video up to 60 s (raised from 10 s on 06/30/2025). */
export const MAX_LIP_SYNC_SECONDS = 60;

const face = (req: Req) => req.face_choose[0];
const clipMs = (req: Req) => Number(face(req).sound_end_time) - Number(face(req).sound_start_time);

export const advancedLipSync = defineFamily({
  name: 'advanced-lip-sync',
  group: 'videos',
  title: 'Lip-Sync',
  path: '/v1/videos/advanced-lip-sync',
  pack: 'video',
  request,
  defaultModel: NO_MODEL,
  models: { [NO_MODEL]: {} },
  result: 'videos',
  rules: [
    {
      id: 'audio-xor-sound-file',
      text: 'face_choose[0]: exactly one of audio_id and sound_file',
      check: (req) => exactlyOneBroken(face(req), 'audio_id', 'sound_file', 'face_choose[0].'),
    },
    {
      id: 'clip-length',
      text: 'face_choose[0]: the cropped sound (sound_end_time − sound_start_time) lasts at least 2 s',
      check: (req) => {
        if (clipMs(req) < MIN_CLIP_MS) {
          return `face_choose[0].sound_end_time must be at least ${MIN_CLIP_MS} ms after sound_start_time (the cropped sound lasts at least 2 s; got ${clipMs(req)} ms)`;
        }
      },
    },
  ],
  // What needs the session and the sound: the face belongs to the session; the clip ends within the sound; inserted
  // at sound_insert_time it fits in the video and overlaps the face's interval by at least 2 s.
  references: [
    {
      field: 'session_id',
      kind: 'session',
      sessionKind: 'identify-face',
      maxAgeDays: SESSION_LIFETIME_DAYS,
      seconds: [2, MAX_LIP_SYNC_SECONDS],
    },
    {
      field: 'face_choose[].face_id',
      kind: 'face',
      session: 'session_id',
      clip: { start: 'sound_start_time', end: 'sound_end_time', insert: 'sound_insert_time', minOverlapMs: MIN_CLIP_MS },
    },
    {
      field: 'face_choose[].audio_id',
      kind: 'audio',
      maxAgeDays: RESULT_LIFETIME_DAYS,
      seconds: [2, MAX_LIP_SYNC_SECONDS],
      endsBy: 'sound_end_time',
    },
    { field: 'face_choose[].sound_file', kind: 'audio-file', seconds: [2, MAX_LIP_SYNC_SECONDS], endsBy: 'sound_end_time' },
  ],
  slots: () => 1,
  // "Lip Sync 0.5 per 5 s" (spec §1.10): kiln counts the lip-synced sound, each started 5 s block.
  units: (req) => 0.5 * Math.ceil(clipMs(req) / 5000),
  plan: (req): TalkingVideoPlan => {
    const f = face(req);
    return {
      kind: 'talking-video',
      resolution: null,
      fps: null,
      audio: given(f.audio_id) ? { audioId: f.audio_id } : { soundFile: f.sound_file! },
      length: { from: 'source', maxSeconds: MAX_LIP_SYNC_SECONDS },
      sessionId: req.session_id,
      faceId: f.face_id,
      clip: {
        startMs: Number(f.sound_start_time),
        endMs: Number(f.sound_end_time),
        insertMs: Number(f.sound_insert_time),
        volume: f.sound_volume ?? 1,
        originalVolume: f.original_audio_volume ?? 1,
      },
      prompt: '',
      watermark: req.watermark_info?.enabled === true,
    };
  },
});
