// Turns a client's image (http(s) URL or raw Base64) into decoded bytes plus its size, or an error a user can act on.

import sharp from 'sharp';
import { IMAGE_LIMITS } from '@kiln/contract';

export type ImageFetcher = (url: string) => Promise<Buffer>;

export interface LoadedImage {
  buffer: Buffer;
  /** Display size, after any EXIF rotation. */
  width: number;
  height: number;
  /** sharp's name for the format: 'jpeg', 'png', 'webp', … */
  format: string;
}

/** Kling's documented limit for an input image (the contract's standard image limits). */
export const MAX_IMAGE_BYTES = IMAGE_LIMITS.maxBytes;
const FETCH_TIMEOUT_MS = 30_000;

// Base64 as Kling takes it: no data: prefix. Buffer.from(…, 'base64') silently skips anything else, which would turn
// a typo into a confusing decode error, so the alphabet is checked first. URL-safe characters are tolerated.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Loads an input image. `field` names the request field in error messages, e.g. "image_list[0]: could not decode
 * image", so the message can go to the user as a task_status_msg unchanged.
 */
export async function loadImageInput(
  source: string,
  fetcher: ImageFetcher = fetchImage,
  field = 'image',
): Promise<LoadedImage> {
  const buffer = /^https?:\/\//i.test(source.trim()) ? await download(source.trim(), fetcher, field) : decodeBase64(source, field);
  if (buffer.length > MAX_IMAGE_BYTES) throw new Error(`${field}: image is larger than ${MAX_IMAGE_BYTES / (1024 * 1024)} MB`);
  let meta: sharp.Metadata;
  try {
    meta = await sharp(buffer).metadata();
  } catch {
    throw new Error(`${field}: could not decode image`);
  }
  // autoOrient holds the size as displayed, which is what the aspect ratio must follow for a rotated phone photo.
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!meta.format || !width || !height) throw new Error(`${field}: could not decode image`);
  return { buffer, width, height, format: meta.format };
}

async function download(url: string, fetcher: ImageFetcher, field: string): Promise<Buffer> {
  try {
    return await fetcher(url);
  } catch (err) {
    // fetch reports network failures as a bare "fetch failed"; the cause says which (ENOTFOUND, ECONNREFUSED, …).
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    const reason = `${(err as Error).message}${cause ? `: ${cause}` : ''}`;
    throw new Error(`${field}: could not download image (${reason})`);
  }
}

function decodeBase64(source: string, field: string): Buffer {
  const compact = source.replace(/\s+/g, '');
  if (!compact || !BASE64.test(compact)) throw new Error(`${field}: not an http(s) URL or valid Base64`);
  return Buffer.from(compact, 'base64');
}

/** The default fetcher: global fetch with a timeout, refusing bodies over the size limit without reading them whole. */
export function fetchImage(url: string): Promise<Buffer> {
  return fetchLimited(url, MAX_IMAGE_BYTES);
}

/** GET a URL into memory, failing with "larger than N MB" as soon as the body passes `maxBytes`. */
export async function fetchLimited(url: string, maxBytes: number): Promise<Buffer> {
  const tooLarge = `larger than ${Math.round(maxBytes / (1024 * 1024))} MB`;
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new Error(tooLarge);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  // The header can be absent or wrong, so the limit is enforced while reading too.
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw new Error(tooLarge);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
