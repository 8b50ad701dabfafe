// The Storage port: where task outputs (and the inputs kept beside them) live, whatever holds the bytes — files
// under the data directory or an S3-compatible bucket. Callers see only this interface.

import type { Readable } from 'node:stream';

/**
 * Bytes `start`..`end` of an object, both inclusive (as in HTTP `Range: bytes=start-end`). An `end` past the last
 * byte, or no `end`, means "to the last byte".
 */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface ObjectInfo {
  /** The whole object's size in bytes, also when a range was opened. */
  size: number;
  contentType: string;
}

export interface OpenedObject extends ObjectInfo {
  body: Readable;
  /** The bytes `body` carries, `end` inclusive: the range asked for, clamped to the object, or the whole object. */
  start: number;
  end: number;
}

/** How much a storage holds: every object, kiln's or not (partial uploads of the local adapter included). */
export interface StorageUsage {
  objects: number;
  bytes: number;
}

/** What a put reads from: a stream, or a file on this machine (e.g. a render ffmpeg just wrote). */
export type PutSource = Readable | { file: string };

/**
 * Keys are `<taskId>/<name>`: a task id (digits; sessions and presets have numeric folders too) and a file name
 * with the extension of its type (`video.mp4`): `[\w.-]`, never starting with a dot.
 *
 * Contract, the same for every adapter (checked by `runStorageCases`):
 * - `put` stores the whole source under the key, replacing any object there; readers never see a partial object.
 *   It resolves once the object is readable by every process that shares the storage. Large sources go up in
 *   parts where the backend has them (S3 multipart above 8 MB). `contentType` defaults to the type of the name's
 *   extension; the local adapter always answers with that type, so names must carry the right extension.
 * - `open` gives a readable stream of the object or of one byte range, with the object's size and content type.
 *   A missing key rejects with `StorageNotFoundError`; a range starting at or past the end rejects with
 *   `StorageRangeError`; a range ending past the end is clamped to the last byte.
 * - `stat` gives size and content type, or undefined when the key is missing; `exists` says whether it is there.
 * - `remove` deletes one key (a missing key is not an error). `removeTask` deletes the given names of one task:
 *   kiln's own records say what a task stored (backends are never listed: some S3-compatible stores fail bucket
 *   listings). Adapters may remove more of that task (the local adapter removes the task's whole folder), never
 *   another task's keys.
 * - `url` is kiln's own public path for a key, `/media/<taskId>/<name>?e=&s=`, signed with kiln's secret and
 *   valid until `expiresAtMs`; `checkUrl` verifies such a path's query. These URLs stay the same whatever adapter
 *   holds the bytes, so results survive a move between backends.
 * - `presignedUrl`, when the adapter has one, is a short-lived URL straight to the backend that a media request
 *   may be redirected to; undefined when the backend has none (local files).
 * - `ready` resolves when the storage can be used (for readiness probes); it touches an object, never the bucket.
 * - `usage` counts the objects and bytes held, for the operator's system page only: it lists the backend (one
 *   request per 1,000 objects on S3), so callers cache it, and it answers undefined where the backend refuses to
 *   list. Nothing else lists.
 */
export interface Storage {
  put(key: string, source: PutSource, contentType?: string): Promise<{ size: number }>;
  open(key: string, range?: ByteRange): Promise<OpenedObject>;
  stat(key: string): Promise<ObjectInfo | undefined>;
  exists(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
  removeTask(taskId: string, names: readonly string[]): Promise<void>;
  url(key: string, expiresAtMs: number): string;
  checkUrl(key: string, expires: string | undefined, signature: string | undefined, now?: number): 'ok' | 'expired' | 'invalid';
  presignedUrl(key: string, expiresInSeconds: number): Promise<string | undefined>;
  ready(): Promise<void>;
  usage(): Promise<StorageUsage | undefined>;
}

/** `open` of a key that holds nothing. */
export class StorageNotFoundError extends Error {
  readonly code = 'storage_not_found';
  constructor(readonly key: string) {
    super(`no stored object at ${key}`);
    this.name = 'StorageNotFoundError';
  }
}

/** `open` with a range that starts at or past the end of the object. */
export class StorageRangeError extends Error {
  readonly code = 'storage_range_not_satisfiable';
  constructor(readonly key: string, readonly size: number) {
    super(`range not satisfiable for ${key} (${size} bytes)`);
    this.name = 'StorageRangeError';
  }
}

const TASK_PART = /^\d{1,20}$/;
const NAME_PART = /^[\w.-]{1,100}$/;

/** The key of one of a task's files, or undefined when the parts are not ones kiln could have made. */
export function storageKey(taskId: string, name: string): string | undefined {
  if (!TASK_PART.test(taskId) || !NAME_PART.test(name) || name.startsWith('.')) return undefined;
  return `${taskId}/${name}`;
}

/** A key's task id and name; throws on a key kiln could not have made (a caller's bug, never a client's input). */
export function splitKey(key: string): { taskId: string; name: string } {
  const slash = key.indexOf('/');
  const taskId = key.slice(0, slash);
  const name = key.slice(slash + 1);
  if (slash < 0 || storageKey(taskId, name) !== key) throw new Error(`not a storage key: ${JSON.stringify(key)}`);
  return { taskId, name };
}
