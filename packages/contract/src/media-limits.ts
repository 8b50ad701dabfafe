// Kling's documented limits for media inputs (images, videos, sounds) as data: each input field carries its own set
// (`limits` on the field's schema, see fields.ts), the server holds what it reads to it, the SDK checks what it can
// without decoding, and openapi.json shows it. One checker turns a broken limit into the message a user reads.

const MB = 1024 * 1024;

export interface MediaLimits {
  /** Accepted formats by their probed names: jpeg, png / mp4, mov / mp3, wav, m4a, aac. */
  formats: readonly string[];
  /** Largest file, bytes (for Base64, the decoded bytes). */
  maxBytes: number;
  /** Each side (width and height), px, inclusive. */
  minEdge?: number;
  maxEdge?: number;
  /** Width × height at most, px. */
  maxArea?: number;
  /** Width / height within [min, max]: [0.4, 2.5] is "1:2.5 to 2.5:1". */
  ratio?: readonly [number, number];
  /** Width / height one of these exactly (within 2 %, as encoders round sizes to even pixels): '16:9', '9:16'. */
  aspects?: readonly string[];
  /** Length, seconds, inclusive. A bound that depends on other fields is a reference's window (action.ts). */
  minSeconds?: number;
  maxSeconds?: number;
  /** Frame rate within [minFps, maxFps], or one of `fps`. */
  minFps?: number;
  maxFps?: number;
  fps?: readonly number[];
}

/** The standard input image (spec §1.4): jpg/jpeg/png, ≤ 10 MB, each side ≥ 300 px, ratio 1:2.5–2.5:1. */
export const IMAGE_LIMITS = { formats: ['jpeg', 'png'], maxBytes: 10 * MB, minEdge: 300, ratio: [1 / 2.5, 2.5] } as const satisfies MediaLimits;

/**
 * Images whose field documents no ratio rule ("some fields omit the ratio rule", spec §1.4): image2video's
 * `image_tail`, expand's `image`, try-on's images. Kiln accepts any ratio there (permissive on input).
 */
export const IMAGE_LIMITS_ANY_RATIO = { formats: ['jpeg', 'png'], maxBytes: 10 * MB, minEdge: 300 } as const satisfies MediaLimits;

/** Omni-video's reference video (spec §2.1): MP4/MOV, ≤ 200 MB, at least 3 s, each side 720–2160 px, 24–60 fps. */
export const REFERENCE_VIDEO_LIMITS = {
  formats: ['mp4', 'mov'], maxBytes: 200 * MB, minSeconds: 3, minEdge: 720, maxEdge: 2160, minFps: 24, maxFps: 60,
} as const satisfies MediaLimits;

/** An uploaded sound (avatar, lip-sync `sound_file` / `audio_url` / `audio_file`): mp3/wav/m4a/aac, ≤ 5 MB. */
export const SOUND_FILE_LIMITS = { formats: ['mp3', 'wav', 'm4a', 'aac'], maxBytes: 5 * MB } as const satisfies MediaLimits;

export type MediaKind = 'image' | 'video' | 'audio';

/** What was measured of a file: what a check cannot know (a Base64 header only) is left out and not checked. */
export interface MediaFacts {
  /** Probed format names: sharp's `jpeg`, ffprobe's `mov,mp4,m4a,3gp,3g2,mj2` (any listed name counts). */
  format?: string;
  bytes?: number;
  width?: number;
  height?: number;
  seconds?: number;
  fps?: number;
}

// Containers round a length by a frame or two, and report 23.976 or 59.94 for 24 and 60 fps.
const SECONDS_SLACK = 0.05;
const FPS_RANGE_SLACK = 0.5;
const FPS_VALUE_SLACK = 0.1;
const ASPECT_SLACK = 0.02;

/** The first limit `facts` break, in words (`video width and height must be 340–3850 px (got 320x480)`), or undefined. */
export function mediaLimitBroken(kind: MediaKind, limits: MediaLimits, facts: MediaFacts): string | undefined {
  const { format, bytes, width, height, seconds, fps } = facts;
  if (format !== undefined && !formatAllowed(limits, format)) {
    return `${kind} format must be ${formatWords(limits.formats)} (got ${format.split(',')[0] || 'unknown'})`;
  }
  if (bytes !== undefined && bytes > limits.maxBytes) {
    return `${kind} must be at most ${megabytes(limits.maxBytes)} MB (got ${(bytes / MB).toFixed(1)} MB)`;
  }
  if (width !== undefined && height !== undefined) {
    const size = `(got ${width}x${height})`;
    const { minEdge, maxEdge } = limits;
    if ((minEdge !== undefined && Math.min(width, height) < minEdge) || (maxEdge !== undefined && Math.max(width, height) > maxEdge)) {
      return `${kind} width and height must be ${edgeWords(minEdge, maxEdge)} ${size}`;
    }
    if (limits.maxArea !== undefined && width * height > limits.maxArea) {
      return `${kind} must have at most ${limits.maxArea} pixels (width × height) ${size}`;
    }
    const r = width / height;
    if (limits.ratio && (r < limits.ratio[0] - 1e-9 || r > limits.ratio[1] + 1e-9)) {
      return `${kind} aspect ratio must be between ${ratioWords(limits.ratio[0])} and ${ratioWords(limits.ratio[1])} ${size}`;
    }
    if (limits.aspects && !limits.aspects.some((a) => Math.abs(r / aspectValue(a) - 1) <= ASPECT_SLACK)) {
      return `${kind} aspect ratio must be ${orList(limits.aspects)} ${size}`;
    }
  }
  if (seconds !== undefined) {
    if (limits.minSeconds !== undefined && seconds < limits.minSeconds - SECONDS_SLACK) {
      return `${kind} must be at least ${limits.minSeconds} seconds long (got ${seconds.toFixed(1)} s)`;
    }
    if (limits.maxSeconds !== undefined && seconds > limits.maxSeconds + SECONDS_SLACK) {
      return `${kind} must be at most ${limits.maxSeconds} seconds long (got ${seconds.toFixed(1)} s)`;
    }
  }
  if (fps !== undefined) {
    const { minFps, maxFps } = limits;
    if ((minFps !== undefined && fps < minFps - FPS_RANGE_SLACK) || (maxFps !== undefined && fps > maxFps + FPS_RANGE_SLACK)) {
      return `${kind} frame rate must be ${minFps ?? 1}–${maxFps ?? '∞'} fps (got ${fps.toFixed(2)})`;
    }
    if (limits.fps && !limits.fps.some((f) => Math.abs(f - fps) < FPS_VALUE_SLACK)) {
      return `${kind} frame rate must be ${orList(limits.fps.map(String))} fps (got ${fps.toFixed(2)})`;
    }
  }
  return undefined;
}

/** Whether a probed format (ffprobe lists several names, `mov,mp4,m4a,…`) is one the limits accept. */
export function formatAllowed(limits: MediaLimits, format: string): boolean {
  return format.split(',').some((name) => limits.formats.includes(name.trim()));
}

/** The limits in words, as openapi.json and the docs show them: `mp4 or mov, ≤ 100 MB, each side 340–3850 px`. */
export function describeLimits(limits: MediaLimits): string {
  const parts = [formatWords(limits.formats), `≤ ${megabytes(limits.maxBytes)} MB`];
  if (limits.minEdge !== undefined || limits.maxEdge !== undefined) parts.push(`each side ${edgeWords(limits.minEdge, limits.maxEdge)}`);
  if (limits.maxArea !== undefined) parts.push(`≤ ${limits.maxArea} pixels`);
  if (limits.ratio) parts.push(`ratio ${ratioWords(limits.ratio[0])}–${ratioWords(limits.ratio[1])}`);
  if (limits.aspects) parts.push(`aspect ${orList(limits.aspects)}`);
  if (limits.minSeconds !== undefined && limits.maxSeconds !== undefined) parts.push(`${limits.minSeconds}–${limits.maxSeconds} s`);
  else if (limits.minSeconds !== undefined) parts.push(`≥ ${limits.minSeconds} s`);
  else if (limits.maxSeconds !== undefined) parts.push(`≤ ${limits.maxSeconds} s`);
  if (limits.minFps !== undefined || limits.maxFps !== undefined) parts.push(`${limits.minFps ?? 1}–${limits.maxFps ?? '∞'} fps`);
  if (limits.fps) parts.push(`${orList(limits.fps.map(String))} fps`);
  return parts.join(', ');
}

const megabytes = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

function edgeWords(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `${min}–${max} px`;
  return min !== undefined ? `at least ${min} px` : `at most ${max} px`;
}

// "jpeg" is written "jpg, jpeg", as Kling's docs do.
const formatWords = (formats: readonly string[]) => orList(formats.flatMap((f) => (f === 'jpeg' ? ['jpg', 'jpeg'] : [f])));

function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** 0.4 → "1:2.5", 2.5 → "2.5:1". */
const ratioWords = (r: number) => (r < 1 ? `1:${Math.round((1 / r) * 100) / 100}` : `${Math.round(r * 100) / 100}:1`);

function aspectValue(aspect: string): number {
  const [w, h] = aspect.split(':').map(Number);
  return w / h;
}
