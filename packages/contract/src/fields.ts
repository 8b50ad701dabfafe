// Field schemas shared by several families, each carrying the rule in words so errors read well.

import { Type, type TSchema, type TLiteral, type TUnion } from '@sinclair/typebox';

/** A string enum: `oneOf(['std', 'pro'])`. */
export function oneOf<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    { rule: `must be one of ${values.map((v) => `'${v}'`).join(', ')}`, ...options },
  ) as unknown as TUnion<{ [K in keyof T]: TLiteral<T[K]> }[number][]>;
}

/**
 * A Kling image input: an http(s) URL or raw Base64. A `data:` prefix is refused, as Kling documents; the content
 * itself (format, size, pixels) is checked when the image is read.
 */
export const imageSource = (options: Record<string, unknown> = {}) =>
  Type.String({
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
  const literals: TSchema[] = [];
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
export const elementId = () =>
  Type.Union([Type.String({ pattern: '^\\d{1,20}$' }), Type.Integer({ minimum: 0 })], {
    rule: 'must be an element id (an integer or a numeric string)',
  });

export const watermarkInfo = () =>
  Type.Object({ enabled: Type.Boolean() }, { rule: 'must be an object {"enabled": boolean}' });

export const callbackUrl = () =>
  Type.String({ maxLength: 2048, pattern: '^https?://\\S+$', rule: 'must be an http(s) URL of at most 2048 characters' });

export const externalTaskId = () => Type.String({ minLength: 1, maxLength: 256 });

export const promptText = (maxLength = 2500) => Type.String({ maxLength });

/** The fields every async create accepts (spec §1.4). */
export const commonTaskFields = () => ({
  watermark_info: Type.Optional(watermarkInfo()),
  callback_url: Type.Optional(callbackUrl()),
  external_task_id: Type.Optional(externalTaskId()),
});

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
