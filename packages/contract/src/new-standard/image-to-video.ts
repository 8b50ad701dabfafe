// Image to video on the new standard — POST /image-to-video/{model} (spec new-standard.md §3.2): `contents[]` with a
// first frame (and on some models a last frame, elements or voices), `settings`, `options`. No aspect_ratio: the
// first frame decides the shape.

import { itemsOf, requestSchema } from './body.ts';
import { defineEndpoint, durationOf, generatedVideoPlan, hdOnlyRule, resolutionOf, type HdTrigger } from './common.ts';
import type { ContentType, NewStandardModel } from './endpoint.ts';
import { NEW_STANDARD_RATES, rateAt } from './rates.ts';
import { countRules, lastNeedsFirst, referencesResolve, storyboardRule, type NewStandardRule } from './rules.ts';
import { perSecond } from '../pricing.ts';
import type { InputReference } from '../action.ts';

const THREE_TO_FIFTEEN = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] as const;
const FIVE_OR_TEN = [5, 10] as const;
const i2v = { aspectRatio: false } as const;

export const I2V_MODELS = {
  // The i2v page caps the prompt at 2500, the t2v page at 3072 (§9 C2): kiln accepts the longer (permissive on input).
  'kling-3.0-turbo': {
    ...i2v, contentTypes: ['prompt', 'first_frame'], promptMax: 3072, resolutions: ['720p', '1080p'], durations: THREE_TO_FIFTEEN,
    alwaysAudio: true, multiShot: 'syntax',
  },
  'kling-3.0': {
    ...i2v, contentTypes: ['prompt', 'first_frame', 'last_frame', 'element'], promptMax: 3072, resolutions: ['720p', '1080p', '4k'],
    durations: THREE_TO_FIFTEEN, audio: ['off', 'native'], multiShot: 'setting',
  },
  'kling-2.6': {
    ...i2v, contentTypes: ['prompt', 'first_frame', 'last_frame', 'voice'], promptMax: 2500, resolutions: ['720p', '1080p'],
    durations: FIVE_OR_TEN, audio: ['off', 'native'],
  },
  'kling-2.5-turbo': {
    ...i2v, contentTypes: ['prompt', 'first_frame', 'last_frame'], promptMax: 2500, resolutions: ['720p', '1080p'], durations: FIVE_OR_TEN,
  },
} as const satisfies Record<string, NewStandardModel>;

type I2vModel = keyof typeof I2V_MODELS;

const MAX_ITEMS: Partial<Record<ContentType, number>> = { prompt: 1, first_frame: 1, last_frame: 1, element: 3, voice: 2 };

// Kling 2.6: first + last frame, native audio and voices are 1080p only (§3.2 rules 3–4; the capability map's "1080P
// silent" for frames, §9 C7, is the stricter reading, not followed). Kling 2.5 Turbo: first + last frame (rule 5).
const HD_ONLY: Partial<Record<I2vModel, readonly HdTrigger[]>> = {
  'kling-2.6': ['native-audio', 'last-frame', 'voice'],
  'kling-2.5-turbo': ['last-frame'],
};

/** Kling 2.6: voices speak, so they need native audio; `audio: off` takes none (§3.2 rule 4). */
const voicesNeedAudio: NewStandardRule = {
  id: 'voice-needs-audio',
  text: "voice items need settings.audio 'native'",
  check: (req) => {
    if (itemsOf(req, 'voice').length && req.settings?.audio !== 'native') {
      return `settings.audio must be 'native' when contents has voice items (got '${req.settings?.audio ?? 'off'}')`;
    }
  },
};

function rate(modelId: I2vModel, req: { settings?: Record<string, any> }, voices: number) {
  const native = req.settings?.audio === 'native';
  switch (modelId) {
    case 'kling-3.0-turbo': return NEW_STANDARD_RATES['kling-3.0-turbo'];
    case 'kling-3.0': return NEW_STANDARD_RATES['kling-3.0'][native ? 'native' : 'off'];
    case 'kling-2.6': return NEW_STANDARD_RATES['kling-2.6'][voices > 0 ? 'voice' : native ? 'native' : 'off'];
    case 'kling-2.5-turbo': return NEW_STANDARD_RATES['kling-2.5-turbo'];
  }
}

function imageToVideo(modelId: I2vModel) {
  const capability: NewStandardModel = I2V_MODELS[modelId];
  const hdOnly = HD_ONLY[modelId] ?? [];
  const max = Object.fromEntries(Object.entries(MAX_ITEMS).filter(([t]) => (capability.contentTypes as readonly string[]).includes(t)));
  const rules: NewStandardRule[] = [...countRules(max, ['first_frame']), lastNeedsFirst, referencesResolve, storyboardRule];
  if (hdOnly.length) rules.push(hdOnlyRule(hdOnly));
  if (capability.contentTypes.includes('voice')) rules.push(voicesNeedAudio);
  const references: InputReference[] = [];
  // Kling 3.0 takes both element kinds (§3.2 rule 6).
  if (capability.contentTypes.includes('element')) references.push({ field: 'contents[].element_id', kind: 'element' });
  if (capability.contentTypes.includes('voice')) {
    references.push({ field: 'contents[].voice_id', kind: 'voice', note: "a preset voice or one of the caller's custom voices" });
  }
  return defineEndpoint({
    product: 'image-to-video',
    modelId,
    capability,
    request: requestSchema(capability, { resolutionDefault: hdOnly.length === 0 }),
    rules,
    references,
    units: (req) => perSecond(rateAt(rate(modelId, req, itemsOf(req, 'voice').length), resolutionOf(req, hdOnly)), durationOf(req)),
    plan: (req) => generatedVideoPlan(req, capability, hdOnly),
  });
}

export const imageToVideoEndpoints = (Object.keys(I2V_MODELS) as I2vModel[]).map(imageToVideo);
