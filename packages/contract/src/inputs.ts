// The media inputs of a request: every image, video and sound field, found by walking the family's schema (fields
// made with `imageSource()` / `videoUrl()` / `audioSource()` carry an `input` mark and their `limits`), with the
// field's name for error messages; and what can be checked of a Base64 input without decoding it (its size, its
// format, a PNG's pixel size), which the SDK checks before sending and the server at create.

import type { TSchema } from '@sinclair/typebox';
import { KlingError } from './errors.ts';
import {
  IMAGE_LIMITS, mediaLimitBroken, REFERENCE_VIDEO_LIMITS, SOUND_FILE_LIMITS,
  type MediaFacts, type MediaKind, type MediaLimits,
} from './media-limits.ts';

export * from './media-limits.ts';

export interface MediaInput {
  kind: MediaKind;
  /** As in error messages: `image_list[0].image_url`. */
  field: string;
  value: string;
  /** The field's documented limits. */
  limits: MediaLimits;
}

/** A field's limits when it declares none: the standard ones of its kind. */
const DEFAULT_LIMITS: Record<MediaKind, MediaLimits> = { image: IMAGE_LIMITS, video: REFERENCE_VIDEO_LIMITS, audio: SOUND_FILE_LIMITS };

/**
 * The image and video inputs of a request (what the server reads and checks for every family). Sounds are read by
 * the renderers that use them; `collectAllMediaInputs` lists them too.
 */
export function collectMediaInputs(schema: TSchema, value: unknown, field = ''): MediaInput[] {
  return collect(schema, value, field, ['image', 'video']);
}

/** Every media input, sounds included. */
export function collectAllMediaInputs(schema: TSchema, value: unknown): MediaInput[] {
  return collect(schema, value, '', ['image', 'video', 'audio']);
}

/**
 * The member of a union of objects a value is: the one whose fixed (`const`) properties it has — the new standard's
 * `contents[]` items are told apart by `type` — else the first of its structure. Other schemas are returned as they are.
 */
export function unionMember(schema: TSchema, value: unknown): Record<string, any> {
  const s = schema as Record<string, any>;
  if (s.properties || s.items || !Array.isArray(s.anyOf) || typeof value !== 'object' || value === null) return s;
  const members = s.anyOf as Record<string, any>[];
  if (Array.isArray(value)) return members.find((m) => m.items) ?? s;
  const record = value as Record<string, unknown>;
  const fixed = (m: Record<string, any>) => Object.entries(m.properties ?? {}).filter(([, p]) => 'const' in (p as object));
  return members.find((m) => m.properties && fixed(m).length > 0 && fixed(m).every(([k, p]) => record[k] === (p as { const: unknown }).const))
    ?? members.find((m) => m.properties) ?? s;
}

/**
 * Walks the value along its schema, into `found`. Runs on every create: only the keys the value has are visited
 * (a schema has many more), and nothing is allocated for a field that is absent.
 */
function collect(schema: TSchema, value: unknown, field: string, kinds: readonly MediaKind[], found: MediaInput[] = []): MediaInput[] {
  if (value === undefined || value === null || value === '') return found;
  const mark = inputMark(schema);
  if (mark && typeof value === 'string') {
    if (kinds.includes(mark.kind)) found.push({ kind: mark.kind, field, value, limits: mark.limits });
    return found;
  }
  const s = unionMember(schema, value);
  if (s.type === 'object' && s.properties && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    // In the schema's order, so that the first input reported wrong is the same whatever order the client sent.
    for (const key in s.properties) {
      const child = record[key];
      if (child !== undefined && child !== null) collect(s.properties[key], child, field ? `${field}.${key}` : key, kinds, found);
    }
    return found;
  }
  if (s.type === 'array' && s.items && Array.isArray(value)) {
    value.forEach((item, i) => collect(s.items as TSchema, item, `${field}[${i}]`, kinds, found));
  }
  return found;
}

export interface MediaBinary {
  /** As in error messages: `image_list[0].image`. */
  field: string;
  /** Where the value is, key by key, to replace it. */
  path: (string | number)[];
  /** The field's kind and limits; undefined when the field is not a media input. */
  kind?: MediaKind;
  limits?: MediaLimits;
  value: unknown;
}

/**
 * The values of a request that `isBinary` says are files (the SDK's Blob, ArrayBuffer, Buffer …), wherever they are,
 * each with its field's media mark when the schema has one there. The SDK encodes them as Base64 before sending.
 */
export function collectMediaBinaries(schema: TSchema | undefined, value: unknown, isBinary: (v: unknown) => boolean,
  field = '', path: (string | number)[] = []): MediaBinary[] {
  if (value === undefined || value === null) return [];
  if (isBinary(value)) {
    const mark = schema ? inputMark(schema) : undefined;
    return [{ field, path, kind: mark?.kind, limits: mark?.limits, value }];
  }
  const declared = (schema ?? {}) as Record<string, any>;
  // A union (an object or ""; one item shape or another): the branch that has the value's structure.
  const s = unionMember(declared as TSchema, value);
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => collectMediaBinaries(s.items, item, isBinary, `${field}[${i}]`, [...path, i]));
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
      collectMediaBinaries(s.properties?.[key], child, isBinary, field ? `${field}.${key}` : key, [...path, key]));
  }
  return [];
}

/** A schema's input mark and limits, also inside a union (an image that may be sent as ""). */
export function inputMark(schema: TSchema): { kind: MediaKind; limits: MediaLimits } | undefined {
  const s = schema as Record<string, any>;
  if (s.input === 'image' || s.input === 'video' || s.input === 'audio') {
    return { kind: s.input, limits: (s.limits as MediaLimits | undefined) ?? DEFAULT_LIMITS[s.input as MediaKind] };
  }
  if (Array.isArray(s.anyOf)) for (const option of s.anyOf) { const m = inputMark(option); if (m) return m; }
  return undefined;
}

export interface ImageFacts {
  format: string;
  bytes: number;
  width: number;
  height: number;
}

/** The first limit an image breaks (the standard ones unless the field has its own), in words, or undefined. */
export function imageLimitBroken(facts: ImageFacts, limits: MediaLimits = IMAGE_LIMITS): string | undefined {
  return mediaLimitBroken('image', limits, facts);
}

export interface VideoFacts {
  seconds: number;
  width: number;
  height: number;
  fps: number;
  format?: string;
  bytes?: number;
}

/** The first limit a video breaks (omni-video's reference video unless the field has its own), in words. */
export function videoLimitBroken(facts: VideoFacts, limits: MediaLimits = REFERENCE_VIDEO_LIMITS): string | undefined {
  return mediaLimitBroken('video', limits, facts);
}

/** A media field's value given as a URL rather than Base64 (the field's pattern allows no leading space). */
export const isUrl = (value: string) => /^https?:\/\//i.test(value);

/**
 * What a Base64 value tells without decoding it whole: its decoded size, and from its first bytes the format of an
 * image (PNG, JPEG, WebP, GIF) and a PNG's pixel size. Works in browsers and edge runtimes (no Buffer).
 */
export function base64Facts(kind: MediaKind, value: string): MediaFacts {
  // Counted, not copied: a value may be tens of MB, and whitespace (line breaks) is all that is left out.
  let length = 0;
  let padding = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    length++;
    padding = c === 61 /* = */ ? padding + 1 : 0;
  }
  const facts: MediaFacts = { bytes: Math.floor((length * 3) / 4) - Math.min(padding, 2) };
  if (kind !== 'image') return facts;
  const head = headBytes(value.slice(0, 256).replace(/\s+/g, ''), 32);
  if (!head) return facts;
  const at = (i: number) => head[i] ?? -1;
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) {
    facts.format = 'png';
    // The IHDR chunk comes first: width and height are big-endian at bytes 16 and 20.
    if (head.length >= 24) {
      facts.width = ((at(16) << 24) >>> 0) + (at(17) << 16) + (at(18) << 8) + at(19);
      facts.height = ((at(20) << 24) >>> 0) + (at(21) << 16) + (at(22) << 8) + at(23);
    }
  } else if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) facts.format = 'jpeg';
  else if (at(0) === 0x52 && at(1) === 0x49 && at(8) === 0x57 && at(9) === 0x45) facts.format = 'webp';
  else if (at(0) === 0x47 && at(1) === 0x49 && at(2) === 0x46) facts.format = 'gif';
  // Anything else is left to the server, which decodes it and says "not a readable image".
  return facts;
}

function headBytes(compact: string, count: number): number[] | undefined {
  // The field's pattern has already refused URL-safe Base64 (`-`, `_`).
  const chars = compact.slice(0, Math.ceil(count / 3) * 4);
  try {
    return Array.from(atob(chars.padEnd(Math.ceil(chars.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * Throws the 1201 a Base64 input earns by what can be seen without decoding it: too many bytes, a format the field
 * does not take, a PNG of the wrong size. URLs are read when the task runs. Used by the SDK before sending and by
 * the server at create (before it decodes anything).
 */
export function checkInlineMedia(schema: TSchema, body: unknown): MediaInput[] {
  const inputs = collectAllMediaInputs(schema, body);
  for (const input of inputs) {
    if (isUrl(input.value)) continue;
    const broken = mediaLimitBroken(input.kind, input.limits, base64Facts(input.kind, input.value));
    if (broken) throw new KlingError(1201, `${input.field}: ${broken}`);
  }
  // Returned so a caller that goes on to decode the images does not walk the request again.
  return inputs;
}
