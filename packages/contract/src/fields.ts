// Field schemas shared by several families, each carrying the rule in words so errors read well.

import { Type, type TLiteral, type TUnion } from '@sinclair/typebox';
import { describeLimits, IMAGE_LIMITS, REFERENCE_VIDEO_LIMITS, SOUND_FILE_LIMITS, type MediaLimits } from './media-limits.ts';

/** A string enum: `oneOf(['std', 'pro'])`. */
export function oneOf<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    { rule: `must be one of ${values.map((v) => `'${v}'`).join(', ')}`, ...options },
  ) as unknown as TUnion<{ [K in keyof T]: TLiteral<T[K]> }[number][]>;
}

/** Options of a media field: its documented limits (the standard ones of its kind when not given). */
export type MediaFieldOptions = Record<string, unknown> & { limits?: MediaLimits };

/**
 * The mark and limits a media field carries: `input` lets the server find every input of a request (inputs.ts);
 * `limits` are the field's documented limits as data, shown in words as its description (openapi.json).
 */
function mediaMark(input: 'image' | 'video' | 'audio', fallback: MediaLimits, options: MediaFieldOptions) {
  const limits = options.limits ?? fallback;
  return { input, limits, description: describeLimits(limits) };
}

/**
 * A Kling image input: an http(s) URL or raw Base64. A `data:` prefix is refused, as Kling documents; the content
 * itself (format, size, pixels) is held to `limits` when the image is read.
 */
export const imageSource = (options: MediaFieldOptions = {}) =>
  Type.String({
    ...mediaMark('image', IMAGE_LIMITS, options),
    minLength: 1,
    pattern: '^(?:https?://\\S+|[A-Za-z0-9+/\\s]+={0,2})$',
    rule: 'must be an http(s) URL or raw Base64 image data (without a "data:" prefix)',
    ...options,
  });

/**
 * Durations are documented as strings ("5") and sent as numbers by some clients ([000]); both are accepted.
 * `durations` lists the values the schema allows; model capabilities narrow them further.
 */
export function durationField(durations: readonly number[], options: Record<string, unknown> = {}) {
  const literals: (TLiteral<string> | TLiteral<number>)[] = [];
  for (const d of durations) literals.push(Type.Literal(String(d)), Type.Literal(d));
  return Type.Union(literals, {
    rule: `must be one of ${durations.map((d) => `"${d}"`).join(', ')} (seconds)`,
    ...options,
  });
}

/**
 * `element_id` is a 64-bit integer (values above 2^53 occur); it arrives as a number or a numeric string and the
 * JSON parser keeps long numbers as strings, so both forms validate.
 */
/** A video input given by URL (MP4/MOV), read, probed and held to `limits` when the task runs. */
export const videoUrl = (options: MediaFieldOptions = {}) =>
  Type.String({
    ...mediaMark('video', REFERENCE_VIDEO_LIMITS, options),
    minLength: 1,
    maxLength: 2048,
    pattern: '^https?://\\S+$',
    rule: 'must be an http(s) URL of an MP4/MOV video',
    ...options,
  });

export const elementId = () =>
  Type.Union([Type.String({ pattern: '^\\d{1,20}$' }), Type.Integer({ minimum: 0 })], {
    rule: 'must be an element id (an integer or a numeric string)',
  });

export const watermarkInfo = () =>
  Type.Object({ enabled: Type.Boolean() }, { rule: 'must be an object {"enabled": boolean}' });

export const callbackUrl = () =>
  Type.String({ maxLength: 2048, pattern: '^https?://\\S+$', rule: 'must be an http(s) URL of at most 2048 characters' });

export const externalTaskId = () => Type.String({ maxLength: 256 });

export const promptText = (maxLength = 2500) => Type.String({ maxLength });


/** Multi-shot storyboard item (spec §2.1): `{index, prompt ≤512, duration}`. */
export const multiPromptItem = () =>
  Type.Object({
    index: Type.Integer({ minimum: 0 }),
    prompt: Type.String({ minLength: 1, maxLength: 512 }),
    duration: Type.Union([Type.String({ pattern: '^\\d+$' }), Type.Integer()], {
      rule: 'must be a whole number of seconds (string or integer)',
    }),
  });

export const cameraControl = () =>
  Type.Object({
    type: oneOf(['simple', 'down_back', 'forward_up', 'right_turn_forward', 'left_turn_forward'] as const),
    config: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.Object({
          horizontal: Type.Optional(Type.Number({ minimum: -10, maximum: 10 })),
          vertical: Type.Optional(Type.Number({ minimum: -10, maximum: 10 })),
          pan: Type.Optional(Type.Number({ minimum: -10, maximum: 10 })),
          tilt: Type.Optional(Type.Number({ minimum: -10, maximum: 10 })),
          roll: Type.Optional(Type.Number({ minimum: -10, maximum: 10 })),
          zoom: Type.Optional(Type.Number({ minimum: -10, maximum: 10 })),
        }),
      ], { rule: 'must be an object of six axes, each a number in [-10, 10]' }),
    ),
  });

// ---- Lenient forms of scalar fields. Kling's own request examples send values in more than one JSON shape
// (`"multi_shot": "true"` in the official image2video multi-shot example, `"n": "9"` in the official generations
// example, `"callback_url": ""` in nearly every cURL). Kiln accepts each shape the documentation shows (DESIGN:
// permissive on input); rules and plans read them through `isTrue` / `given` / `Number`.

/** A boolean, also as the strings "true"/"false". */
export const looseBoolean = (options: Record<string, unknown> = {}) =>
  Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')], {
    rule: 'must be a boolean (true or false)',
    ...options,
  });

/** `true` or `"true"`: how rules read a `looseBoolean`. */
export const isTrue = (value: unknown): boolean => value === true || value === 'true';

/** An integer in [minimum, maximum] (a small range), also as a numeric string. */
export function looseInteger(minimum: number, maximum: number, options: Record<string, unknown> = {}) {
  const values = Array.from({ length: maximum - minimum + 1 }, (_, i) => minimum + i);
  return Type.Union([Type.Integer({ minimum, maximum }), Type.String({ pattern: `^(?:${values.join('|')})$` })], {
    rule: `must be an integer from ${minimum} to ${maximum}`,
    ...options,
  });
}

/** An optional image that may also be sent as "" (meaning: not given), as SDKs that serialise unset fields do. */
export const optionalImageSource = ({ limits, ...options }: MediaFieldOptions = {}) =>
  Type.Union([Type.Literal(''), imageSource(limits ? { limits } : {})], {
    rule: 'must be an http(s) URL or raw Base64 image data (without a "data:" prefix), or empty',
    ...options,
  });

/** A string field that is present and not empty. */
export const given = (value: string | null | undefined): value is string => typeof value === 'string' && value !== '';

/**
 * The fields every async create accepts (spec §1.4). Kling's cURL examples send `"callback_url": ""` and
 * `"external_task_id": ""`; an empty value means "none" (no callback, no external id).
 */
export const commonTaskFields = () => ({
  watermark_info: Type.Optional(watermarkInfo()),
  callback_url: Type.Optional(
    Type.Union([Type.Literal(''), callbackUrl()], { rule: 'must be an http(s) URL of at most 2048 characters (or empty)' }),
  ),
  external_task_id: Type.Optional(externalTaskId()),
});

// ---- Fields of the audio, lip-sync, voice and element endpoints.

/** An id Kling issued (video, audio, session, face, voice): a non-empty string. */
export const idString = (options: Record<string, unknown> = {}) =>
  Type.String({ minLength: 1, maxLength: 256, rule: 'must be a non-empty id (a string)', ...options });

/**
 * One side of an xor pair (`video_id` / `video_url`): Kling's own examples send the unused side as "", so "" means
 * absent and the pair's rule (rules/exactly-one.ts) decides.
 */
export const optionalId = () =>
  Type.String({ maxLength: 256, rule: 'must be an id (a string), or empty' });

export const optionalVideoUrl = (options: MediaFieldOptions = {}) =>
  Type.Union([Type.Literal(''), videoUrl(options)], { rule: 'must be an http(s) URL of an MP4/MOV video (or empty)' });

/**
 * A sound file: an http(s) URL or raw Base64 (by default mp3/wav/m4a/aac, at most 5 MB). Marked as an `audio`
 * input: a Base64 one's size is checked at create, a URL's when it is read with its format and length.
 */
export const audioSource = (options: MediaFieldOptions = {}) =>
  Type.String({
    ...mediaMark('audio', SOUND_FILE_LIMITS, options),
    minLength: 1,
    pattern: '^(?:https?://\\S+|[A-Za-z0-9+/\\s]+={0,2})$',
    rule: 'must be an http(s) URL or raw Base64 audio data (mp3/wav/m4a/aac)',
    ...options,
  });

export const optionalAudioSource = (options: MediaFieldOptions = {}) =>
  Type.Union([Type.Literal(''), audioSource(options)], {
    rule: 'must be an http(s) URL or raw Base64 audio data (mp3/wav/m4a/aac), or empty',
  });

/** A number, also as a numeric string ("5.5"); rules read it with `Number`. Ranges are checked by the family's rules. */
export const looseNumber = (options: Record<string, unknown> = {}) =>
  Type.Union([Type.Number(), Type.String({ pattern: '^\\d{1,6}(?:\\.\\d{1,6})?$' })], {
    rule: 'must be a number',
    ...options,
  });

/** A time in milliseconds (`long` in the docs): a non-negative integer, also as a numeric string. */
export const msTime = (options: Record<string, unknown> = {}) =>
  Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^\\d{1,10}$' })], {
    rule: 'must be a time in milliseconds (a non-negative integer)',
    ...options,
  });

/** A number with at most one decimal place (3.5, not 3.55): durations and speeds Kling reads to 0.1. */
export const hasOneDecimal = (value: number) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-6;
