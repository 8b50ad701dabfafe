// Custom Voices — POST /v1/general/custom-voices (spec §4.1, §1.10): clones a voice from a 5–30 s recording (voice_url)
// or from a Kling video with speech (video_id); the voice (`task_result.voices`) can then be used by TTS, image2video
// voice_list and elements. Deleting and the preset list are actions (actions/general.ts).

import { Type } from '@sinclair/typebox';
import { defineFamily, NO_MODEL } from '../family.ts';
import { audioSource, commonTaskFields, given, optionalId } from '../fields.ts';
import type { VoicePlan } from '../plan-more.ts';
import type { MediaLimits } from '../media-limits.ts';
import { RESULT_LIFETIME_DAYS } from '../lifetimes.ts';

/**
 * The recording (spec §4.1): mp3/wav or an mp4/mov video read for its sound. No size is documented: a video is a valid
 * recording, so the 200 MB of video inputs applies. Its 5–30 s are the reference's window.
 */
export const VOICE_RECORDING_LIMITS = { formats: ['mp3', 'wav', 'mp4', 'mov'], maxBytes: 200 * 1024 * 1024 } as const satisfies MediaLimits;

const request = Type.Object({
  voice_name: Type.String({ minLength: 1, maxLength: 20 }),
  // An mp3/wav recording or an mp4/mov video, read for its sound: marked as an audio input.
  voice_url: Type.Optional(Type.Union([
    Type.Literal(''),
    audioSource({ limits: VOICE_RECORDING_LIMITS, maxLength: 2048, pattern: '^https?://\\S+$' }),
  ], { rule: 'must be an http(s) URL of an mp3/wav/mp4/mov file (or empty)' })),
  video_id: Type.Optional(optionalId()),
  ...commonTaskFields(),
});

/** Length of the trial audio kiln renders for a cloned voice (Kling's is not documented). */
export const TRIAL_SECONDS = 5;

export const customVoices = defineFamily({
  name: 'custom-voices',
  group: 'general',
  title: 'Custom Voices',
  path: '/v1/general/custom-voices',
  pack: 'video',
  request,
  defaultModel: NO_MODEL,
  models: { [NO_MODEL]: {} },
  result: 'voices',
  // Custom and preset voice lists take pageSize up to 1000 (tasks: 500).
  pageBounds: { maxPageNum: 1000, maxPageSize: 1000, defaultPageSize: 30 },
  rules: [
    // Whether voice_url and video_id exclude each other is not stated (the official sample sends "video_id": ""):
    // one of them is required, and with both the recording (voice_url) is used.
    {
      id: 'voice-source',
      text: 'one of voice_url and video_id is required',
      check: (req) => {
        if (!given(req.voice_url) && !given(req.video_id)) return 'one of voice_url and video_id is required (both are empty)';
      },
    },
  ],
  references: [
    // "One clean human voice" cannot be checked: any sound is accepted.
    { field: 'voice_url', kind: 'audio-file', seconds: [5, 30] },
    {
      field: 'video_id',
      kind: 'video',
      maxAgeDays: RESULT_LIFETIME_DAYS,
      seconds: [5, 30],
      // "a v2.6 video generated with sound=on, or an avatar or lip-sync output": both lip-sync endpoints count.
      families: ['text2video', 'image2video', 'avatar/image2video', 'advanced-lip-sync', 'lip-sync'],
      // Kling names kling-v2-6 videos made with sound 'on' for text2video/image2video: kiln takes any of those families'
      // videos with a sound track (the renderer fails one without), which is the more permissive reading.
    },
  ],
  slots: () => 1,
  // "Custom voice: 0.05 units per call" (spec §1.10).
  units: () => 0.05,
  plan: (req): VoicePlan => ({
    kind: 'voice',
    name: req.voice_name,
    source: given(req.voice_url) ? { voiceUrl: req.voice_url } : { videoId: req.video_id! },
    trialSeconds: TRIAL_SECONDS,
  }),
});
