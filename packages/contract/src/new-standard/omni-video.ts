// Omni video on the new standard — POST /omni-video/{kling-3.0-omni | kling-o1} (spec new-standard.md §3.3):
// `contents[]` of a prompt, frames, reference images, one reference video (to take features from, or to edit) and
// elements; `settings`; `options`.

import type { ElementKind, InputReference } from '../action.ts';
import { perSecond } from '../pricing.ts';
import { itemOf, itemsOf, requestSchema, settingsOf, OMNI_3_VIDEO_LIMITS, O1_VIDEO_LIMITS, type NewStandardBody } from './body.ts';
import { defineEndpoint, durationOf, generatedVideoPlan, multiShotOn, resolutionOf } from './common.ts';
import type { NewStandardModel } from './endpoint.ts';
import { NEW_STANDARD_RATES, rateAt } from './rates.ts';
import { countRules, lastNeedsFirst, referencesResolve, storyboardRule, type NewStandardRule } from './rules.ts';
import type { VideoPlan } from '../plan.ts';

const OMNI_TYPES = ['prompt', 'first_frame', 'last_frame', 'refer_image', 'feature_video', 'base_video', 'element'] as const;

export const OMNI_MODELS = {
  'kling-3.0-omni': {
    contentTypes: OMNI_TYPES, promptMax: 3072, resolutions: ['720p', '1080p', '4k'], durations: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    audio: ['off', 'native', 'original'], multiShot: 'setting', aspectRatio: true,
  },
  'kling-o1': {
    contentTypes: OMNI_TYPES, promptMax: 2500, resolutions: ['720p', '1080p'], durations: [3, 4, 5, 6, 7, 8, 9, 10],
    audio: ['off', 'original'], aspectRatio: true,
  },
} as const satisfies Record<string, NewStandardModel>;

const featureVideo = (req: NewStandardBody) => itemOf(req, 'feature_video');
const baseVideo = (req: NewStandardBody) => itemOf(req, 'base_video');
const hasVideo = (req: NewStandardBody) => featureVideo(req) !== undefined || baseVideo(req) !== undefined;
const hasFrames = (req: NewStandardBody) => itemsOf(req, 'first_frame').length + itemsOf(req, 'last_frame').length > 0;
const count = (req: NewStandardBody, type: Parameters<typeof itemsOf>[1]) => itemsOf(req, type).length;

const shared: NewStandardRule[] = [
  ...countRules({ prompt: 1, first_frame: 1, last_frame: 1 }, ['prompt']),
  lastNeedsFirst,
  referencesResolve,
  {
    id: 'one-reference-video',
    text: 'at most one reference video (feature_video or base_video)',
    check: (req) => {
      if (count(req, 'feature_video') + count(req, 'base_video') > 1) return 'contents may hold at most one reference video (feature_video or base_video)';
    },
  },
  {
    id: 'base-video-no-frames',
    text: 'a base_video (editing) takes no first_frame or last_frame',
    check: (req) => {
      if (baseVideo(req) && hasFrames(req)) return 'contents: a base_video item (video editing) cannot be combined with first_frame or last_frame items';
    },
  },
  {
    id: 'original-needs-video',
    text: "settings.audio 'original' keeps a reference video's sound, so it needs one",
    check: (req) => {
      if (settingsOf(req).audio === 'original' && !hasVideo(req)) {
        return "settings.audio 'original' keeps the reference video's sound; it needs a feature_video or base_video item";
      }
    },
  },
  {
    id: 'references-count',
    // Both models (3.0 Omni's finer table by element kind, elementMix, never allows more).
    text: 'refer_image + elements ≤ 7 without a reference video, ≤ 4 with one',
    check: (req) => {
      const limit = hasVideo(req) ? 4 : 7;
      const n = count(req, 'refer_image') + count(req, 'element');
      if (n > limit) return `contents may hold at most ${limit} refer_image and element items together ${hasVideo(req) ? 'with' : 'without'} a reference video (got ${n})`;
    },
  },
];

// ---- Kling 3.0 Omni (§3.3 rules 1–10).

const omni3Rules: NewStandardRule[] = [
  ...shared,
  storyboardRule,
  {
    id: 'feature-video-settings',
    text: "with a feature_video: settings.audio 'off' and settings.multi_shot true",
    check: (req) => {
      if (!featureVideo(req)) return;
      const { audio } = settingsOf(req);
      if (audio !== 'off') return `settings.audio must be 'off' with a feature_video item (got '${audio}')`;
      if (!multiShotOn(req)) return 'settings.multi_shot must be true with a feature_video item';
    },
  },
  {
    id: 'base-video-settings',
    text: "with a base_video: settings.multi_shot false (its default is true) and settings.audio not 'native'",
    check: (req) => {
      if (!baseVideo(req)) return;
      if (multiShotOn(req)) return 'settings.multi_shot must be false with a base_video item (video editing is single-shot; the default is true)';
      if (settingsOf(req).audio === 'native') return "settings.audio cannot be 'native' with a base_video item (use 'original' or 'off')";
    },
  },
  {
    id: 'elements-with-frames',
    text: 'with a first frame (or first and last frames) at most 3 elements',
    check: (req) => {
      if (hasFrames(req) && count(req, 'element') > 3) return `contents may hold at most 3 element items with frames (got ${count(req, 'element')})`;
    },
  },
];

/** The 3.0 Omni element/image table (§3.3 rule 6), once the elements' kinds are known. */
function omni3ElementMix(req: NewStandardBody, kinds: readonly ElementKind[]): string | undefined {
  const characters = kinds.filter((k) => k === 'video_refer').length;
  const multi = kinds.length - characters;
  const images = count(req, 'refer_image') + multi;
  if (hasVideo(req)) {
    if (characters > 0 && images > 0) {
      return 'contents: with a reference video, a video-character element cannot be combined with refer_image items or multi-image elements';
    }
    if (characters > 1) return `contents: with a reference video at most 1 video-character element (got ${characters})`;
    if (images > 4) return `contents: with a reference video refer_image items and multi-image elements together may be at most 4 (got ${images})`;
    return undefined;
  }
  if (characters > 3) return `contents: at most 3 video-character elements (got ${characters})`;
  const limit = characters > 0 ? 4 : 7;
  if (images > limit) {
    return `contents: refer_image items and multi-image elements together may be at most ${limit}${characters ? ' next to video-character elements' : ''} (got ${images})`;
  }
  return undefined;
}

// ---- Kling O1 (§3.3 O1 rules 1–7).

const o1Rules: NewStandardRule[] = [
  ...shared,
  {
    id: 'o1-first-last-alone',
    text: 'first and last frames together take no refer_image and no elements',
    check: (req) => {
      if (count(req, 'first_frame') && count(req, 'last_frame') && count(req, 'refer_image') + count(req, 'element') > 0) {
        return 'contents: with first_frame and last_frame items kling-o1 takes no refer_image or element items';
      }
    },
  },
  {
    id: 'o1-feature-no-last',
    text: 'a feature_video takes a first_frame but no last_frame',
    check: (req) => {
      if (featureVideo(req) && count(req, 'last_frame')) return 'contents: a feature_video item cannot be combined with a last_frame item on kling-o1';
    },
  },
  {
    id: 'o1-first-frame-duration',
    text: 'a first frame without reference images or video: settings.duration 5 or 10',
    check: (req) => {
      if (count(req, 'first_frame') && !count(req, 'refer_image') && !hasVideo(req) && ![5, 10].includes(durationOf(req))) {
        return `settings.duration must be 5 or 10 for a first frame without refer_image or video items on kling-o1 (got ${durationOf(req)})`;
      }
    },
  },
];

/** Billed on the generated video: a base video's edit lasts as long as the input, rounded (API.md §1.10). */
function billedSeconds(req: NewStandardBody, measured?: { seconds: number }): number {
  return baseVideo(req) && measured ? Math.max(1, Math.round(measured.seconds)) : durationOf(req);
}

function omniPlan(req: NewStandardBody, model: NewStandardModel): VideoPlan {
  const plan = generatedVideoPlan(req, model);
  const video = featureVideo(req) ?? baseVideo(req);
  if (!video) return plan;
  const role = video.type === 'base_video' ? 'base' : 'feature';
  return {
    ...plan,
    // Editing keeps the input's shape; a feature video follows the asked ratio (or the first frame).
    aspectRatio: role === 'base' ? null : plan.aspectRatio,
    referenceVideo: { url: video.url!, role, keepSound: settingsOf(req).audio === 'original' },
  };
}

const elementRefs = (only?: InputReference['elementKinds']): InputReference[] => [
  { field: 'contents[].element_id', kind: 'element', ...(only ? { elementKinds: only } : {}) },
];

export const omniVideoEndpoints = [
  defineEndpoint({
    product: 'omni-video',
    modelId: 'kling-3.0-omni',
    // The legacy model_name as path id was accepted live (§1.3).
    aliases: ['kling-v3-omni'],
    capability: OMNI_MODELS['kling-3.0-omni'],
    request: requestSchema(OMNI_MODELS['kling-3.0-omni'], { limits: { video: OMNI_3_VIDEO_LIMITS } }),
    rules: omni3Rules,
    references: elementRefs(),
    elementMix: omni3ElementMix,
    units: (req, measured) => {
      const rates = NEW_STANDARD_RATES['kling-3.0-omni'];
      const row = hasVideo(req) ? rates.withVideo : settingsOf(req).audio === 'native' ? rates.native : rates.off;
      return perSecond(rateAt(row, resolutionOf(req)), billedSeconds(req, measured));
    },
    plan: (req) => omniPlan(req, OMNI_MODELS['kling-3.0-omni']),
  }),
  defineEndpoint({
    product: 'omni-video',
    modelId: 'kling-o1',
    capability: OMNI_MODELS['kling-o1'],
    request: requestSchema(OMNI_MODELS['kling-o1'], { limits: { video: O1_VIDEO_LIMITS } }),
    rules: o1Rules,
    references: elementRefs({ only: ['image_refer'], rule: 'kling-o1 takes multi-image elements only' }),
    units: (req, measured) => {
      const rates = NEW_STANDARD_RATES['kling-o1'];
      return perSecond(rateAt(hasVideo(req) ? rates.withVideo : rates.noVideo, resolutionOf(req)), billedSeconds(req, measured));
    },
    plan: (req) => omniPlan(req, OMNI_MODELS['kling-o1']),
  }),
];
