// What the new-standard products share beyond the body: the output resolution (with the models whose rules force
// 1080p), the plan of a generated video, and the endpoint's fixed fields.

import type { TObject } from '@sinclair/typebox';
import type { VideoPlan } from '../plan.ts';
import type { AnyOutputPlan } from '../plan-more.ts';
import type { Measured } from '../family.ts';
import { isTrue } from '../fields.ts';
import { itemOf, itemsOf, promptOf, settingsOf, watermarkOf, type NewStandardBody } from './body.ts';
import type { NewStandardEndpoint, NewStandardModel, NewStandardProduct, NewStandardResolution } from './endpoint.ts';
import { shotsFor, type NewStandardRule } from './rules.ts';
import type { References } from '../action.ts';
import { elementNamesResolve } from './element-names.ts';

/** What forces 1080p on a model (Kling 2.6 native audio and voices, 2.6/2.5 Turbo first + last frame, §3.1–3.2). */
export type HdTrigger = 'native-audio' | 'last-frame' | 'voice';

const TRIGGER_WORDS: Record<HdTrigger, string> = {
  'native-audio': "settings.audio is 'native'",
  'last-frame': 'contents has a last_frame item',
  voice: 'contents has a voice item',
};

function triggered(req: NewStandardBody, triggers: readonly HdTrigger[]): HdTrigger | undefined {
  return triggers.find((t) =>
    t === 'native-audio' ? settingsOf(req).audio === 'native' : t === 'last-frame' ? itemsOf(req, 'last_frame').length > 0 : itemsOf(req, 'voice').length > 0);
}

/**
 * The output resolution. Where a rule demands 1080p and the client sent no resolution, kiln renders 1080p rather
 * than refuse the documented default of 720p: the vendor's answer to that case is not recorded (§10) and the request
 * has one reading that works (DESIGN: permissive on input).
 */
export function resolutionOf(req: NewStandardBody, hdOnly: readonly HdTrigger[] = []): NewStandardResolution {
  const given = settingsOf(req).resolution as NewStandardResolution | undefined;
  return given ?? (triggered(req, hdOnly) ? '1080p' : '720p');
}

export function hdOnlyRule(hdOnly: readonly HdTrigger[]): NewStandardRule {
  return {
    id: 'hd-only',
    text: `settings.resolution must be 1080p when ${hdOnly.map((t) => TRIGGER_WORDS[t]).join(' or ')}`,
    check: (req) => {
      const trigger = triggered(req, hdOnly);
      const given = settingsOf(req).resolution;
      if (trigger && given !== undefined && given !== '1080p') return `settings.resolution must be '1080p' when ${TRIGGER_WORDS[trigger]} (got '${given}')`;
    },
  };
}

/** Kling's output classes: 720p is the simulator's 'std', 1080p 'pro', 4k '4k'. */
export const OUTPUT_CLASS = { '720p': 'std', '1080p': 'pro', '4k': '4k' } as const;

export const durationOf = (req: NewStandardBody): number => Number(settingsOf(req).duration ?? 5);

/** The plan of a generated video (text, image and omni products): size from resolution × ratio, length, shots, frames, audio. */
export function generatedVideoPlan(req: NewStandardBody, model: NewStandardModel, hdOnly: readonly HdTrigger[] = []): VideoPlan {
  const settings = settingsOf(req);
  const first = itemOf(req, 'first_frame')?.url;
  return {
    kind: 'video',
    resolution: OUTPUT_CLASS[resolutionOf(req, hdOnly)],
    // A first frame decides the shape; otherwise the asked ratio, 16:9 by default (§3).
    aspectRatio: first ? null : (settings.aspect_ratio ?? '16:9'),
    seconds: durationOf(req),
    fps: 24,
    audio: model.alwaysAudio === true || settings.audio === 'native',
    prompt: promptOf(req),
    shots: shotsFor(req, model),
    firstFrame: first,
    lastFrame: itemOf(req, 'last_frame')?.url,
    references: itemsOf(req, 'refer_image').map((i) => i.url!),
    watermark: watermarkOf(req),
  };
}

export const multiShotOn = (req: NewStandardBody): boolean => isTrue(settingsOf(req).multi_shot);

const TITLES: Record<NewStandardProduct, string> = {
  'text-to-video': 'Text to Video',
  'image-to-video': 'Image to Video',
  'omni-video': 'Omni-Video',
  'motion-control': 'Motion Control',
};

export interface EndpointParts<S extends TObject, P extends AnyOutputPlan> {
  product: NewStandardProduct;
  modelId: string;
  aliases?: readonly string[];
  capability: NewStandardModel;
  request: S;
  rules: NewStandardRule[];
  references?: References<NewStandardBody>;
  units(req: NewStandardBody, measured?: Measured): number;
  plan(req: NewStandardBody): P;
  elementMix?: NewStandardEndpoint['elementMix'];
}

/** An endpoint from its parts: the family fields every new-standard endpoint fills the same way. */
export function defineEndpoint<S extends TObject, P extends AnyOutputPlan>(parts: EndpointParts<S, P>): NewStandardEndpoint<S, P> {
  const { product, modelId, capability } = parts;
  return {
    standard: 'new',
    name: `${product}/${modelId}`,
    group: 'videos',
    title: `${TITLES[product]} (${modelId})`,
    path: `/${product}/${modelId}`,
    pack: 'video',
    request: parts.request,
    defaultModel: modelId,
    models: { [modelId]: capability },
    rules: parts.rules as any,
    result: 'videos',
    references: parts.references as any,
    slots: () => 1,
    units: parts.units as any,
    plan: parts.plan as any,
    product,
    modelId,
    aliases: parts.aliases ?? [],
    capability,
    ...(parts.elementMix ? { elementMix: parts.elementMix } : {}),
    // Where elements can be given, `@Name` may name one (§2.5); elsewhere it is text.
    ...(capability.contentTypes.includes('element') ? { elementNames: elementNamesResolve } : {}),
  };
}
