// Lip-Sync (the old endpoint, before advanced-lip-sync) — POST /v1/videos/lip-sync (spec §2.8 "Old lip-sync"). Not
// in Kling's current docs: the body follows a reseller's transcription [DMX]. The face of a 2–10 s video speaks a text
// read by a TTS voice (mode text2video) or an uploaded sound (audio2video), for the whole video. The query and list
// paths are not documented anywhere; kiln serves them where every other family has them (/v1/videos/lip-sync/{id},
// /v1/videos/lip-sync?pageNum&pageSize), which is what the spec presumes.

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily, NO_MODEL } from '../family.ts';
import { audioSource, commonTaskFields, given, looseNumber, oneOf, optionalId } from '../fields.ts';
import { exactlyOneBroken } from '../rules/exactly-one.ts';
import type { TalkingVideoPlan } from '../plan-more.ts';
import { ttsSpeed } from '../actions/tts.ts';
import type { MediaLimits } from '../media-limits.ts';
import { RESULT_LIFETIME_DAYS } from '../lifetimes.ts';

/**
 * An uploaded video [DMX]: mp4/mov, at most 100 MB, "720p or 1080p", read as each side 720–1920 px. Its 2–10 s are
 * the reference's window (LIP_SYNC_SECONDS).
 */
export const LIP_SYNC_VIDEO_LIMITS = { formats: ['mp4', 'mov'], maxBytes: 100 * 1024 * 1024, minEdge: 720, maxEdge: 1920 } as const satisfies MediaLimits;

// Not marked as an input video (`videoUrl()`): the old lip-sync renderer reads it itself and holds it to its limits,
// which the field carries as data.
const videoLink = Type.Union([Type.Literal(''), Type.String({ maxLength: 2048, pattern: '^https?://\\S+$', limits: LIP_SYNC_VIDEO_LIMITS })], {
  rule: 'must be an http(s) URL of an MP4/MOV video (or empty)',
});
const BASE64 = '^[A-Za-z0-9+/\\s]+={0,2}$';

const request = Type.Object({
  input: Type.Object({
    video_id: Type.Optional(optionalId()),
    video_url: Type.Optional(videoLink),
    mode: oneOf(['text2video', 'audio2video'] as const),
    text: Type.Optional(Type.String({ maxLength: 120 })),
    voice_id: Type.Optional(optionalId()),
    voice_language: Type.Optional(oneOf(['zh', 'en'] as const, { default: 'zh' })),
    // Kling's voices take [0.8, 2.0] to one decimal; like TTS (same voices), other values are clamped and rounded.
    voice_speed: Type.Optional(looseNumber({ default: 1 })),
    audio_type: Type.Optional(oneOf(['file', 'url'] as const)),
    audio_file: Type.Optional(Type.Union([Type.Literal(''), audioSource({ pattern: BASE64 })], {
      rule: 'must be raw Base64 audio data (mp3/wav/m4a/aac), or empty',
    })),
    audio_url: Type.Optional(Type.Union([Type.Literal(''), audioSource({ pattern: '^https?://\\S+$' })], {
      rule: 'must be an http(s) URL of an mp3/wav/m4a/aac file, or empty',
    })),
  }),
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

/** "2–10 s" uploads; Kling videos (video_id) "5–10 s" [DMX]. */
export const LIP_SYNC_SECONDS = { upload: [2, 10], klingVideo: [5, 10] } as const;

/** The fields each mode needs, with the rule in words. */
function missingForMode(input: Req['input']): string | undefined {
  const need = (field: keyof Req['input']) => (given(input[field] as string | undefined) ? undefined : field);
  if (input.mode === 'text2video') {
    const missing = need('text') ?? need('voice_id');
    return missing && `input.${missing} is required when input.mode is 'text2video'`;
  }
  if (!input.audio_type) return "input.audio_type is required when input.mode is 'audio2video' ('file' or 'url')";
  const field = input.audio_type === 'file' ? 'audio_file' : 'audio_url';
  return need(field) && `input.${field} is required when input.audio_type is '${input.audio_type}'`;
}

export const lipSync = defineFamily({
  name: 'lip-sync',
  group: 'videos',
  title: 'Lip-Sync (old)',
  path: '/v1/videos/lip-sync',
  pack: 'video',
  request,
  defaultModel: NO_MODEL,
  models: { [NO_MODEL]: {} },
  result: 'videos',
  rules: [
    {
      id: 'video-id-xor-url',
      text: 'input: exactly one of video_id and video_url',
      check: (req) => exactlyOneBroken(req.input, 'video_id', 'video_url', 'input.'),
    },
    {
      id: 'mode-fields',
      text: "input: text2video needs text and voice_id; audio2video needs audio_type and audio_file ('file') or audio_url ('url')",
      check: (req) => missingForMode(req.input),
    },
  ],
  // Only the fields the mode uses: the other mode's fields are ignored (plan), so a leftover voice_id in an
  // audio2video request is not looked up either.
  references: (req) => [
    { field: 'input.video_id', kind: 'video', maxAgeDays: RESULT_LIFETIME_DAYS, seconds: LIP_SYNC_SECONDS.klingVideo },
    { field: 'input.video_url', kind: 'video-url', seconds: LIP_SYNC_SECONDS.upload },
    ...(req.input.mode === 'text2video'
      ? [{ field: 'input.voice_id', kind: 'voice', note: "a preset voice or one of the caller's custom voices" } as const]
      : req.input.audio_type === 'file'
        ? [{ field: 'input.audio_file', kind: 'audio-file' } as const]
        : [{ field: 'input.audio_url', kind: 'audio-file' } as const]),
  ],
  slots: () => 1,
  // No price is published for this endpoint: kiln bills it like advanced lip-sync ("Lip Sync 0.5 per 5 s", spec §1.10),
  // per started 5 s of the output video (as long as the input video); 5 s until the video is measured. Containers
  // round a length up by a frame or two, so 5.04 s is still one block.
  units: (_req, measured) => 0.5 * Math.max(1, Math.ceil(((measured?.seconds ?? 5) - 0.1) / 5)),
  plan: (req): TalkingVideoPlan => {
    const { input } = req;
    return {
      kind: 'talking-video',
      resolution: null,
      fps: null,
      audio: input.mode === 'text2video'
        ? { speech: { text: input.text!, voiceId: input.voice_id!, language: input.voice_language ?? 'zh', speed: ttsSpeed(input.voice_speed) } }
        : { soundFile: input.audio_type === 'file' ? input.audio_file! : input.audio_url! },
      length: { from: 'source', maxSeconds: LIP_SYNC_SECONDS.upload[1] },
      video: given(input.video_id) ? { videoId: input.video_id } : { videoUrl: input.video_url! },
      prompt: '',
      watermark: req.watermark_info?.enabled === true,
    };
  },
});
