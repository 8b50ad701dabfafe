// File inputs: where a family's or endpoint's schema marks a media field (image, video, sound), a request may carry
// the file itself — a Blob or File, an ArrayBuffer, a typed array (Node's Buffer is one), or from @kiln/sdk/node a
// file on disk (`fileFrom(path)`, a Blob read lazily) — instead of a URL or Base64 text. The SDK checks the field's
// documented size limit before it reads or encodes anything, then sends raw Base64 (no `data:` prefix), as Kling
// wants; the create's validation then checks the format and a PNG's pixels like any Base64 input.

import { collectMediaBinaries, mediaLimitBroken, type MediaKind, type MediaLimits } from '@kiln/contract';
import { apiError } from './errors.ts';

/** The file itself, for a media field: Blob or File, ArrayBuffer, or a typed array (Buffer, Uint8Array). */
export type FileInput = Blob | ArrayBuffer | ArrayBufferView;

/**
 * A request whose string fields may also take a FileInput. Only media fields accept one at run time (any other
 * field given a file is refused with a message naming it); the type cannot tell them apart.
 */
export type WithFileInputs<T> = T extends string ? T | FileInput
  : T extends readonly (infer U)[] ? WithFileInputs<U>[]
  : T extends object ? { [K in keyof T]: WithFileInputs<T[K]> }
  : T;

export function isFileInput(value: unknown): value is FileInput {
  return (typeof Blob !== 'undefined' && value instanceof Blob) || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

const sizeOf = (input: FileInput) => (input instanceof Blob ? input.size : input.byteLength);

async function bytesOf(input: FileInput): Promise<Uint8Array> {
  if (input instanceof Blob) return new Uint8Array(await input.arrayBuffer());
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
}

/** Base64 of bytes: Node's Buffer where there is one (fast), else btoa in chunks (browsers, edge runtimes). */
function base64(bytes: Uint8Array): string {
  const NodeBuffer = (globalThis as { Buffer?: { from(b: Uint8Array): { toString(enc: string): string } } }).Buffer;
  if (NodeBuffer) return NodeBuffer.from(bytes).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const refuse = (message: string) => apiError(message, { code: 1201, httpStatus: 400, local: true });

/**
 * The Base64 Kling wants for one file, after checking its size against `limits` (by default none): for a field of
 * your own, or to see the text a create would send.
 */
export async function toBase64(input: FileInput, options: { kind?: MediaKind; limits?: MediaLimits; field?: string } = {}): Promise<string> {
  if (options.limits) {
    const broken = mediaLimitBroken(options.kind ?? 'image', options.limits, { bytes: sizeOf(input) });
    if (broken) throw refuse(options.field ? `${options.field}: ${broken}` : broken);
  }
  return base64(await bytesOf(input));
}

/**
 * A copy of `params` with every file in a media field replaced by its Base64, each checked against its field's size
 * limit before any is read. `params` itself is left as it was.
 */
export async function resolveFileInputs<T>(schema: unknown, params: T): Promise<T> {
  const found = collectMediaBinaries(schema as never, params, isFileInput);
  if (found.length === 0) return params;
  for (const { field, kind, limits, value } of found) {
    if (!kind || !limits) throw refuse(`${field}: a file is accepted only in an image, video or sound field`);
    const broken = mediaLimitBroken(kind, limits, { bytes: sizeOf(value as FileInput) });
    if (broken) throw refuse(`${field}: ${broken}`);
  }
  const copy = structuredCloneJson(params);
  for (const { path, value } of found) setAt(copy, path, base64(await bytesOf(value as FileInput)));
  return copy as T;
}

/** A deep copy of plain objects and arrays (files are replaced afterwards, so they are kept by reference). */
function structuredCloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(structuredCloneJson);
  if (value && typeof value === 'object' && !isFileInput(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuredCloneJson(v)]));
  }
  return value;
}

function setAt(target: unknown, path: readonly (string | number)[], value: string): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}
