// Large Base64 inputs (images, audio, videos sent inline) are kept once, in storage beside the task's outputs (so a
// worker in another process reads them), and the stored request refers to them. Otherwise a 32 MB create is copied into request_json, bound into SQLite and written
// to its log — several copies of the same bytes alive at once — and read back whole by every reader of the row,
// though only rendering needs the bytes.

import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Storage } from '../storage/storage.ts';

/** Strings longer than this that are not URLs are Base64 data (prompts and ids are at most a few KB). */
const INLINE_LIMIT_CHARS = 64 * 1024;

/** What request_json holds in place of an input. Media URLs are signed per key and kiln signs only a task's results,
 *  so an input cannot be downloaded through kiln. */
const REF_PREFIX = 'kiln-stored-input:';
const isRef = (value: string) => value.startsWith(REF_PREFIX);

export interface StoredRequest {
  /** What request_json holds: the request with each large input replaced by a reference. */
  json: string;
  /** The objects to store under the task before the row is stored. */
  files: { name: string; text: string }[];
}

export function splitLargeInputs(body: unknown): StoredRequest {
  const files: StoredRequest['files'] = [];
  const json = JSON.stringify(body, (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    // A client string that happens to look like a reference is stored as a file too, so every reference in
    // request_json is one kiln made and reading the request back gives exactly what was sent.
    if ((value.length > INLINE_LIMIT_CHARS && !/^https?:\/\//i.test(value)) || isRef(value)) {
      const name = `input-${files.length + 1}.txt`;
      files.push({ name, text: value });
      return REF_PREFIX + name;
    }
    return value;
  });
  return { json, files };
}

/** The names of the inputs a stored request refers to (what the task keeps in storage besides its results). */
export function storedInputNames(requestJson: string): string[] {
  const names: string[] = [];
  JSON.parse(requestJson, (_key, value: unknown) => {
    if (typeof value === 'string' && isRef(value)) names.push(value.slice(REF_PREFIX.length));
    return value;
  });
  return names;
}

export async function writeInputFiles(storage: Storage, taskId: string, files: StoredRequest['files']): Promise<void> {
  await Promise.all(files.map((f) => storage.put(`${taskId}/${f.name}`, Readable.from([Buffer.from(f.text, 'utf8')]))));
}

export async function removeInputFiles(storage: Storage, taskId: string, files: StoredRequest['files']): Promise<void> {
  await Promise.all(files.map((f) => storage.remove(`${taskId}/${f.name}`)));
}

/** Reads a task's stored inputs for its render, through `mediaFile` (a local file of the stored object). */
export function inputReader(taskId: string, mediaFile: (taskId: string, name: string) => Promise<string | undefined>) {
  return async (name: string): Promise<string> => {
    const file = await mediaFile(taskId, name);
    if (!file) throw new Error(`the stored input ${name} of task ${taskId} is missing`);
    return fs.readFile(file, 'utf8');
  };
}

/** The request as the client sent it (defaults applied), its large inputs read back with `read`. */
export async function readStoredRequest(requestJson: string, read: (name: string) => Promise<string>): Promise<any> {
  const body = JSON.parse(requestJson);
  if (!requestJson.includes(REF_PREFIX)) return body;
  return restore(body, read);
}

async function restore(value: unknown, read: (name: string) => Promise<string>): Promise<unknown> {
  if (typeof value === 'string') return isRef(value) ? read(path.basename(value.slice(REF_PREFIX.length))) : value;
  if (Array.isArray(value)) return Promise.all(value.map((item) => restore(item, read)));
  if (value && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await restore(v, read)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}
