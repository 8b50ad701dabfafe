// Text to Audio — POST /v1/audio/text-to-audio (spec §3.1, §1.10): sound effects or music from a prompt, 3.0–10.0 s,
// returned as mp3 and wav (`task_result.audios`).

import { Type } from '@sinclair/typebox';
import { defineFamily, NO_MODEL } from '../family.ts';
import { commonTaskFields, hasOneDecimal, looseNumber } from '../fields.ts';
import type { AudioPlan } from '../plan-more.ts';

const request = Type.Object({
  prompt: Type.String({ minLength: 1, maxLength: 200 }),
  // A float in the docs, sent as the number 3 in the official example; a numeric string ("5.5") is accepted too.
  duration: looseNumber(),
  // watermark_info is not documented for audio; accepted with the other common fields, it has no effect.
  ...commonTaskFields(),
});

export const AUDIO_SECONDS = { min: 3, max: 10 } as const;
/** Text-to-audio and video-to-audio: 0.25 units per call (spec §1.10). */
export const AUDIO_CALL_UNITS = 0.25;

export const textToAudio = defineFamily({
  name: 'text-to-audio',
  group: 'audio',
  title: 'Text to Audio',
  path: '/v1/audio/text-to-audio',
  pack: 'video',
  request,
  defaultModel: NO_MODEL,
  models: { [NO_MODEL]: {} },
  result: 'audios',
  rules: [
    {
      id: 'duration-range',
      text: 'duration is 3.0–10.0 seconds with at most one decimal place',
      check: (req) => {
        const seconds = Number(req.duration);
        if (!(seconds >= AUDIO_SECONDS.min && seconds <= AUDIO_SECONDS.max) || !hasOneDecimal(seconds)) {
          return `duration must be from 3.0 to 10.0 seconds with at most one decimal place (got ${req.duration})`;
        }
      },
    },
  ],
  slots: () => 1,
  units: () => AUDIO_CALL_UNITS,
  plan: (req): AudioPlan => ({
    kind: 'audio',
    seconds: Number(req.duration),
    formats: ['mp3', 'wav'],
    prompt: req.prompt,
    dubVideo: false,
  }),
});
