// The building blocks of new-standard bodies (spec new-standard.md §2): `contents[]` items, `settings` fields and
// the `options` object every create shares, as schemas made from a model's capability data.

import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import { callbackUrl, elementId, externalTaskId, imageSource, looseBoolean, oneOf, videoUrl, watermarkInfo } from '../fields.ts';
import { IMAGE_LIMITS, type MediaLimits } from '../media-limits.ts';
import type { ContentType, NewStandardModel } from './endpoint.ts';

const MB = 1024 * 1024;

/** New-standard images (first/last frame, refer_image, motion `image`): jpg/jpeg/png ≤ 50 MB (legacy: 10 MB), §2.3. */
export const NEW_STANDARD_IMAGE_LIMITS = { ...IMAGE_LIMITS, maxBytes: 50 * MB } as const satisfies MediaLimits;

/** 3.0 Omni `feature_video` / `base_video` (§2.4): mp4/mov ≤ 200 MB, 3–15.5 s, sides 700–4553 px, ≤ 8,294,400 px, ratio 0.4–2, 24–60 fps. */
export const OMNI_3_VIDEO_LIMITS = {
  formats: ['mp4', 'mov'], maxBytes: 200 * MB, minSeconds: 3, maxSeconds: 15.5, minEdge: 700, maxEdge: 4553,
  maxArea: 8_294_400, ratio: [0.4, 2], minFps: 24, maxFps: 60,
} as const satisfies MediaLimits;

/** O1 `feature_video` / `base_video` (§2.4): mp4/mov ≤ 200 MB, 3–10 s, sides 700–2160 px, 24–60 fps. */
export const O1_VIDEO_LIMITS = {
  formats: ['mp4', 'mov'], maxBytes: 200 * MB, minSeconds: 3, maxSeconds: 10, minEdge: 700, maxEdge: 2160, minFps: 24, maxFps: 60,
} as const satisfies MediaLimits;

/** Motion-control `video` (§2.4): mp4/mov ≤ 100 MB, sides 340–3850 px; its length window depends on the orientation. */
export const NEW_MOTION_VIDEO_LIMITS = { formats: ['mp4', 'mov'], maxBytes: 100 * MB, minEdge: 340, maxEdge: 3850 } as const satisfies MediaLimits;

/** The per-type video limits of an endpoint (omni: by model; motion control: its own). */
export interface ContentLimits {
  video?: MediaLimits;
}

const contentId = (required: boolean) => {
  const id = Type.String({ minLength: 1, maxLength: 64, rule: 'must be a non-empty id, unique within the task (referenced as @id in the prompt)' });
  return required ? id : Type.Optional(id);
};

/** The schema of one `contents[]` item of a type (its `type` is checked first, see validate.ts). */
export function contentItemSchema(type: ContentType, model: NewStandardModel, limits: ContentLimits = {}): TObject {
  const kind = Type.Literal(type);
  switch (type) {
    case 'prompt':
      return Type.Object({ type: kind, text: Type.String({ maxLength: model.promptMax }) });
    case 'first_frame':
    case 'last_frame':
    case 'refer_image':
    case 'image':
      // Frames of image-to-video and motion control's image have no id; omni items may carry one (§2.5).
      return Type.Object({ type: kind, url: imageSource({ limits: NEW_STANDARD_IMAGE_LIMITS }), id: contentId(false) });
    case 'feature_video':
    case 'base_video':
    case 'video':
      // Videos are given by URL only (§2.4: the API has no upload endpoint).
      return Type.Object({ type: kind, url: videoUrl({ limits: limits.video ?? OMNI_3_VIDEO_LIMITS }), id: contentId(false) });
    case 'element':
      // Strings in every new-standard example ("163"); numbers are accepted too, as in legacy element_list (§9 C26).
      return Type.Object({ type: kind, element_id: elementId(), id: contentId(true) });
    case 'voice':
      return Type.Object({ type: kind, voice_id: Type.String({ minLength: 1, maxLength: 256 }), id: contentId(true) });
  }
}

/**
 * `contents`: an array whose items are one object per type. The schema is the union (for openapi.json and for
 * finding media inputs); validate.ts checks each item against its own type's object, so errors name the field.
 */
export function contentsSchema(model: NewStandardModel, limits: ContentLimits = {}): TSchema {
  const items = model.contentTypes.map((t) => contentItemSchema(t, model, limits));
  return Type.Array(Type.Union(items), { minItems: 1, rule: `must be a non-empty array of items of type ${model.contentTypes.join(', ')}` });
}

/** `settings` of a model: every field optional (but motion control's character_orientation), with the documented defaults. */
export function settingsSchema(model: NewStandardModel, options: SchemaOptions = {}): TObject {
  const fields: Record<string, TSchema> = {
    // Models where a rule forces 1080p leave the default to the plan (common.ts resolutionOf).
    resolution: Type.Optional(oneOf(model.resolutions, options.resolutionDefault === false ? {} : { default: '720p' })),
  };
  if (model.aspectRatio) fields.aspect_ratio = Type.Optional(oneOf(['16:9', '9:16', '1:1'] as const));
  if (model.durations) fields.duration = Type.Optional(durationSetting(model.durations));
  if (model.audio) fields.audio = Type.Optional(oneOf(model.audio, { default: model.audio[0] }));
  if (model.multiShot === 'setting') fields.multi_shot = Type.Optional(looseBoolean({ default: true }));
  // Undocumented but type-checked live ("settings.seed value 'x' is invalid", §1.5); its effect is unknown, so kiln
  // checks it and otherwise ignores it.
  fields.seed = Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 }));
  return Type.Object({ ...fields, ...options.settings });
}

export interface SchemaOptions {
  /** Fields of `settings` beyond the common ones (motion control's character_orientation). */
  settings?: Record<string, TSchema>;
  /** Per-type media limits. */
  limits?: ContentLimits;
  /** false: `settings.resolution` has no schema default (a rule may force 1080p). */
  resolutionDefault?: boolean;
}

/** `settings.duration`: an integer, also as a numeric string (both accepted live, §1.5), from the model's set. */
function durationSetting(durations: readonly number[]) {
  const literals = durations.flatMap((d) => [Type.Literal(d), Type.Literal(String(d))]);
  const words = isRun(durations) ? `an integer from ${durations[0]} to ${durations[durations.length - 1]}` : `one of ${durations.join(', ')}`;
  return Type.Union(literals, { default: 5, rule: `must be ${words} (seconds)` });
}

const isRun = (values: readonly number[]) => values.length > 2 && values.every((v, i) => i === 0 || v === values[i - 1] + 1);

/**
 * `options` (§2.2), the same on every create. Vendor examples send `"external_task_id": ""`: empty means none.
 * Unknown keys are ignored, as live Kling ignores them.
 */
export const optionsSchema = () =>
  Type.Object({
    callback_url: Type.Optional(callbackUrl()),
    external_task_id: Type.Optional(externalTaskId()),
    watermark_info: Type.Optional(watermarkInfo()),
  });

/** The request of a model: `prompt` (text-to-video) or `contents`, then `settings` and `options`. */
export function requestSchema(model: NewStandardModel, options: SchemaOptions = {}): TObject {
  const main: Record<string, TSchema> = model.contentTypes.length === 0
    ? { prompt: Type.String({ minLength: 1, maxLength: model.promptMax }) }
    : { contents: contentsSchema(model, options.limits) };
  return Type.Object({
    ...main,
    settings: Type.Optional(settingsSchema(model, options)),
    options: Type.Optional(optionsSchema()),
  });
}

// ---- Reading a validated body.

export interface ContentItem {
  type: ContentType;
  text?: string;
  url?: string;
  id?: string;
  element_id?: string | number;
  voice_id?: string;
}

export interface NewStandardBody {
  prompt?: string;
  contents?: ContentItem[];
  settings?: Record<string, any>;
  options?: { callback_url?: string; external_task_id?: string; watermark_info?: { enabled: boolean } };
}

/** The items of a type, in order. */
export const itemsOf = (req: NewStandardBody, type: ContentType): ContentItem[] => (req.contents ?? []).filter((c) => c.type === type);

/** The first item of a type. */
export const itemOf = (req: NewStandardBody, type: ContentType): ContentItem | undefined => req.contents?.find((c) => c.type === type);

/** The prompt: the top-level field (text-to-video) or the `prompt` item's text. */
export const promptOf = (req: NewStandardBody): string => req.prompt ?? itemOf(req, 'prompt')?.text ?? '';

/** Settings as validated (defaults applied). */
export const settingsOf = (req: NewStandardBody): Record<string, any> => req.settings ?? {};

export const watermarkOf = (req: NewStandardBody): boolean => req.options?.watermark_info?.enabled === true;
