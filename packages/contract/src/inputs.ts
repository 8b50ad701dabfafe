// The media inputs of a request: every image and video field, found by walking the family's schema (fields made
// with `imageSource()` / `videoUrl()` carry an `input` mark), with the field's name for error messages.

import type { TSchema } from '@sinclair/typebox';

export interface MediaInput {
  kind: 'image' | 'video';
  /** As in error messages: `image_list[0].image_url`. */
  field: string;
  value: string;
}

export function collectMediaInputs(schema: TSchema, value: unknown, field = ''): MediaInput[] {
  if (value === undefined || value === null || value === '') return [];
  const kind = inputKind(schema);
  if (kind && typeof value === 'string') return [{ kind, field, value }];
  const s = schema as Record<string, any>;
  if (s.type === 'object' && s.properties && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(s.properties as Record<string, TSchema>).flatMap(([key, child]) =>
      collectMediaInputs(child, (value as Record<string, unknown>)[key], field ? `${field}.${key}` : key));
  }
  if (s.type === 'array' && s.items && Array.isArray(value)) {
    return value.flatMap((item, i) => collectMediaInputs(s.items as TSchema, item, `${field}[${i}]`));
  }
  return [];
}

/** A schema's input mark, also inside a union (an image that may be sent as ""). */
function inputKind(schema: TSchema): MediaInput['kind'] | undefined {
  const s = schema as Record<string, any>;
  if (s.input === 'image' || s.input === 'video') return s.input;
  if (Array.isArray(s.anyOf)) for (const option of s.anyOf) { const k = inputKind(option); if (k) return k; }
  return undefined;
}

/** Kling's limits for an input image (spec §1.4): jpg/jpeg/png, ≤ 10 MB, each side ≥ 300 px, ratio 1:2.5–2.5:1. */
export const IMAGE_LIMITS = { formats: ['jpeg', 'png'], maxBytes: 10 * 1024 * 1024, minEdge: 300, minRatio: 1 / 2.5, maxRatio: 2.5 } as const;

export interface ImageFacts {
  format: string;
  bytes: number;
  width: number;
  height: number;
}

/** The first documented limit an image breaks, in words, or undefined when it meets them all. */
export function imageLimitBroken(facts: ImageFacts): string | undefined {
  if (!(IMAGE_LIMITS.formats as readonly string[]).includes(facts.format)) return `image format must be jpg, jpeg or png (got ${facts.format})`;
  if (facts.bytes > IMAGE_LIMITS.maxBytes) return `image must be at most 10 MB (got ${(facts.bytes / 1024 / 1024).toFixed(1)} MB)`;
  if (Math.min(facts.width, facts.height) < IMAGE_LIMITS.minEdge) return `image width and height must be at least 300 px (got ${facts.width}x${facts.height})`;
  const ratio = facts.width / facts.height;
  if (ratio < IMAGE_LIMITS.minRatio - 1e-9 || ratio > IMAGE_LIMITS.maxRatio + 1e-9) {
    return `image aspect ratio must be between 1:2.5 and 2.5:1 (got ${facts.width}x${facts.height})`;
  }
  return undefined;
}

/** Kling's limits for a reference video (spec §2.1): MP4/MOV, at least 3 s, each side 720–2160 px, 24–60 fps. */
export const VIDEO_LIMITS = { minSeconds: 3, minEdge: 720, maxEdge: 2160, minFps: 24, maxFps: 60 } as const;

export interface VideoFacts {
  seconds: number;
  width: number;
  height: number;
  fps: number;
}

/** The first documented limit a reference video breaks, in words (the container is checked by whoever probes it). */
export function videoLimitBroken(facts: VideoFacts): string | undefined {
  const { minSeconds, minEdge, maxEdge, minFps, maxFps } = VIDEO_LIMITS;
  if (facts.seconds < minSeconds) return `video must be at least ${minSeconds} seconds long (got ${facts.seconds.toFixed(1)} s)`;
  if (Math.min(facts.width, facts.height) < minEdge || Math.max(facts.width, facts.height) > maxEdge) {
    return `video width and height must be ${minEdge}–${maxEdge} px (got ${facts.width}x${facts.height})`;
  }
  // Half a frame of slack: containers report 23.976 or 59.94 for 24 and 60 fps.
  if (facts.fps < minFps - 0.5 || facts.fps > maxFps + 0.5) return `video frame rate must be ${minFps}–${maxFps} fps (got ${facts.fps.toFixed(2)})`;
  return undefined;
}
