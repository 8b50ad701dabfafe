// Text to video on the new standard — POST /text-to-video/{model} (spec new-standard.md §3.1): a top-level `prompt`,
// `settings` (resolution, aspect_ratio, duration, audio and multi_shot where the model has them), `options`.

import { requestSchema } from './body.ts';
import { defineEndpoint, durationOf, generatedVideoPlan, hdOnlyRule, resolutionOf, type HdTrigger } from './common.ts';
import type { NewStandardModel } from './endpoint.ts';
import { NEW_STANDARD_RATES, rateAt } from './rates.ts';
import { storyboardRule, type NewStandardRule } from './rules.ts';
import { perSecond } from '../pricing.ts';

const THREE_TO_FIFTEEN = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] as const;
const FIVE_OR_TEN = [5, 10] as const;
const t2v = { aspectRatio: true, contentTypes: [] } as const;

export const T2V_MODELS = {
  // Prompt cap 3072 (≤ 2500 recommended); native audio always on, with no field (LIVE: AAC track, audio rate).
  'kling-3.0-turbo': { ...t2v, promptMax: 3072, resolutions: ['720p', '1080p'], durations: THREE_TO_FIFTEEN, alwaysAudio: true, multiShot: 'syntax' },
  'kling-3.0': { ...t2v, promptMax: 3072, resolutions: ['720p', '1080p', '4k'], durations: THREE_TO_FIFTEEN, audio: ['off', 'native'], multiShot: 'setting' },
  'kling-2.6': { ...t2v, promptMax: 2500, resolutions: ['720p', '1080p'], durations: FIVE_OR_TEN, audio: ['off', 'native'] },
  'kling-2.5-turbo': { ...t2v, promptMax: 2500, resolutions: ['720p', '1080p'], durations: FIVE_OR_TEN },
} as const satisfies Record<string, NewStandardModel>;

type T2vModel = keyof typeof T2V_MODELS;

/** Kling 2.6: native audio only at 1080p (§3.1 rule 1). */
const HD_ONLY: Partial<Record<T2vModel, readonly HdTrigger[]>> = { 'kling-2.6': ['native-audio'] };

function rate(modelId: T2vModel, audio: string | undefined) {
  switch (modelId) {
    case 'kling-3.0-turbo': return NEW_STANDARD_RATES['kling-3.0-turbo'];
    case 'kling-3.0': return NEW_STANDARD_RATES['kling-3.0'][audio === 'native' ? 'native' : 'off'];
    case 'kling-2.6': return NEW_STANDARD_RATES['kling-2.6'][audio === 'native' ? 'native' : 'off'];
    case 'kling-2.5-turbo': return NEW_STANDARD_RATES['kling-2.5-turbo'];
  }
}

function textToVideo(modelId: T2vModel) {
  const capability: NewStandardModel = T2V_MODELS[modelId];
  const hdOnly = HD_ONLY[modelId] ?? [];
  const rules: NewStandardRule[] = [storyboardRule];
  if (hdOnly.length) rules.push(hdOnlyRule(hdOnly));
  return defineEndpoint({
    product: 'text-to-video',
    modelId,
    capability,
    request: requestSchema(capability, { resolutionDefault: hdOnly.length === 0 }),
    rules,
    // Billed on the generated video's length: the requested whole seconds (a 3.041 s output was billed 3 s, §5.5).
    units: (req) => perSecond(rateAt(rate(modelId, req.settings?.audio), resolutionOf(req, hdOnly)), durationOf(req)),
    plan: (req) => generatedVideoPlan(req, capability, hdOnly),
  });
}

export const textToVideoEndpoints = (Object.keys(T2V_MODELS) as T2vModel[]).map(textToVideo);
