// Large Base64 inputs (images, audio, videos sent inline) are kept once, as files beside the task's outputs, and the
// stored request refers to them. Otherwise a 32 MB create is copied into request_json, bound into SQLite and written
// to its log — several copies of the same bytes alive at once — and read back whole by every reader of the row,
// though only rendering needs the bytes.

import fs from 'node:fs/promises';
import path from 'node:path';

/** Strings longer than this that are not URLs are Base64 data (prompts and ids are at most a few KB). */
const INLINE_LIMIT_CHARS = 64 * 1024;

/** What request_json holds in place of an input; the file's name starts with a dot, and media URLs never serve such a
 *  file, so an input cannot be downloaded through kiln. */
const REF_PREFIX = 'kiln-stored-input:';
const isRef = (value: string) => value.startsWith(REF_PREFIX);

export interface StoredRequest {
  /** What request_json holds: the request with each large input replaced by a reference. */
  json: string;
  /** The files to write into the task's folder before the row is stored. */
  files: { name: string; text: string }[];
}

export function splitLargeInputs(body: unknown): StoredRequest {
  const files: StoredRequest['files'] = [];
  const json = JSON.stringify(body, (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    // A client string that happens to look like a reference is stored as a file too, so every reference in
    // request_json is one kiln made and reading the request back gives exactly what was sent.
    if ((value.length > INLINE_LIMIT_CHARS && !/^https?:\/\//i.test(value)) || isRef(value)) {
      const name = `.input-${files.length + 1}`;
      files.push({ name, text: value });
      return REF_PREFIX + name;
    }
    return value;
  });
  return { json, files };
}

export async function writeInputFiles(dir: string, files: StoredRequest['files']): Promise<void> {
  await Promise.all(files.map((f) => fs.writeFile(path.join(dir, f.name), f.text)));
}

export async function removeInputFiles(dir: string, files: StoredRequest['files']): Promise<void> {
  await Promise.all(files.map((f) => fs.rm(path.join(dir, f.name), { force: true })));
}

/** The request as the client sent it (defaults applied), its large inputs read back from the task's folder. */
export async function readStoredRequest(requestJson: string, dir: string): Promise<any> {
  const body = JSON.parse(requestJson);
  if (!requestJson.includes(REF_PREFIX)) return body;
  return restore(body, dir);
}

async function restore(value: unknown, dir: string): Promise<unknown> {
  if (typeof value === 'string') {
    return isRef(value) ? fs.readFile(path.join(dir, path.basename(value.slice(REF_PREFIX.length))), 'utf8') : value;
  }
  if (Array.isArray(value)) return Promise.all(value.map((item) => restore(item, dir)));
  if (value && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await restore(v, dir)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}
