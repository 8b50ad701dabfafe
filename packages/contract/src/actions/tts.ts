// TTS — POST /v1/audio/tts (spec §3.3, §1.10). Documented with a create-style path but answered synchronously: the
// answer already holds the audio (task_result.audios) and there is no query, list, callback_url or external_task_id.
// Kiln models it as an action that renders before answering; the audio's id then serves as `audio_id` for avatar
// and advanced-lip-sync.

import { Type } from '@sinclair/typebox';
import { defineAction } from '../action.ts';
import { idString, looseNumber, oneOf } from '../fields.ts';
import { speechSeconds, type AudioPlan } from '../plan-more.ts';

/** "Valid range: [0.8, 2.0], accurate to one decimal place; values outside this range will be automatically rounded." */
export function ttsSpeed(value: unknown): number {
  const speed = Number(value ?? 1);
  return Math.round(Math.min(2, Math.max(0.8, Number.isFinite(speed) ? speed : 1)) * 10) / 10;
}

export const tts = defineAction({
  name: 'tts',
  group: 'audio',
  title: 'Text to Speech',
  method: 'POST',
  path: '/v1/audio/tts',
  request: Type.Object({
    text: Type.String({ minLength: 1, maxLength: 1000 }),
    voice_id: idString(),
    // "Required, default zh" in the table: absent means zh.
    voice_language: Type.Optional(oneOf(['zh', 'en'] as const, { default: 'zh' })),
    // Out-of-range speeds are clamped to [0.8, 2.0] and rounded to 0.1, as documented, rather than refused.
    voice_speed: Type.Optional(looseNumber({ default: 1 })),
  }),
  rules: [],
  references: [{ field: 'voice_id', kind: 'voice', note: "a preset voice or the caller's custom voice; voice_language must match it" }],
  description: 'Speaks a text with a voice; answers with the finished audio.',
  response:
    "task_id, task_status ('succeed'), task_status_msg, task_result.audios[{id, url (mp3), duration}], final_unit_deduction, created_at, updated_at",
  // "Avatar TTS: 0.05 units per call" (spec §1.10).
  units: () => 0.05,
  plan: (req): AudioPlan => {
    const speed = ttsSpeed(req.voice_speed);
    return {
      kind: 'audio',
      seconds: speechSeconds(req.text, speed),
      formats: ['mp3'],
      prompt: '',
      dubVideo: false,
      speech: { text: req.text, voiceId: req.voice_id, language: req.voice_language ?? 'zh', speed },
    };
  },
});
