// What an action command prints and saves: the answer's `data` as a short indented summary for people (long
// strings such as Base64 masks and long lists cut, links whole; `--json` shows everything), and, with -o, every
// media URL the answer holds (a TTS audio, a preview video, face crops, mask images), downloaded with the SDK's
// resumable helper.

import fs from 'node:fs';
import path from 'node:path';
import { downloadFile } from '@kiln/sdk/node';
import { bar, formatBytes, StatusLine } from './progress.ts';

const MAX_TEXT = 100;
const MAX_ITEMS = 20;

type Json = any;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => !isObject(v) && !Array.isArray(v);

/** Links are shown whole (they are what a user copies); other long strings (Base64, RLE) by their length. */
function scalar(value: unknown): string {
  if (typeof value === 'string') {
    if (value === '') return '""';
    return value.length > MAX_TEXT && !/^https?:\/\//i.test(value) ? `<${value.length} characters>` : value;
  }
  return String(value);
}

function scalarList(values: unknown[]): string {
  const shown = values.slice(0, 10).map(scalar).join(', ');
  return values.length > 10 ? `${shown}, … (${values.length} items)` : shown;
}

function block(value: Json, indent: number): string[] {
  const pad = '  '.repeat(indent);
  if (Array.isArray(value)) {
    if (!value.length) return [`${pad}(none)`];
    if (value.every(isScalar)) return [`${pad}${scalarList(value)}`];
    const out = value.slice(0, MAX_ITEMS).flatMap((item) => (isObject(item) ? itemLines(item, indent) : [`${pad}- ${scalar(item)}`]));
    if (value.length > MAX_ITEMS) out.push(`${pad}… ${value.length - MAX_ITEMS} more (--json shows all)`);
    return out;
  }
  if (!isObject(value)) return [`${pad}${scalar(value)}`];
  return Object.entries(value).flatMap(([key, v]) => {
    if (isScalar(v)) return [`${pad}${key}: ${scalar(v)}`];
    if (Array.isArray(v) && v.every(isScalar)) return [`${pad}${key}: ${v.length ? scalarList(v) : '(none)'}`];
    return [`${pad}${key}:`, ...block(v, indent + 1)];
  });
}

/** A list item: its scalar fields on the `- ` line, anything nested below it. */
function itemLines(item: Record<string, unknown>, indent: number): string[] {
  const pad = '  '.repeat(indent);
  const entries = Object.entries(item);
  const flat = entries.filter(([, v]) => isScalar(v)).map(([k, v]) => `${k}: ${scalar(v)}`);
  const nested = entries.filter(([, v]) => !isScalar(v));
  return [`${pad}- ${flat.join('  ') || '{}'}`, ...nested.flatMap(([k, v]) => block({ [k]: v }, indent + 1))];
}

/** The answer for people: one line naming the call, then the data. */
export function summary(title: string, data: Json): string {
  return [`${title}: ok`, ...(data === undefined || data === null ? [] : block(data, 1))].join('\n');
}

export interface MediaLink {
  url: string;
  /** `tts-<task_id>-audios-0.mp3` */
  fileName: string;
}

const safeName = (name: string) => name.replace(/[^\w.-]/g, '_');

function extensionOf(url: string): string {
  try {
    return /\.[A-Za-z0-9]{1,5}$/.exec(new URL(url).pathname)?.[0].toLowerCase() ?? '.bin';
  } catch {
    return '.bin';
  }
}

/**
 * Every http(s) URL in the answer, named after the command, the call's id (task_id or session_id) and where the URL
 * sits: `task_result.audios[0].url` → `audios-0` (the wrappers `task_result`/`res` and a last `url` say nothing).
 */
export function mediaLinks(data: Json, command: string): MediaLink[] {
  const id = isObject(data) ? data.task_id ?? data.session_id : undefined;
  const prefix = [command, ...(typeof id === 'string' ? [id] : [])];
  const links: MediaLink[] = [];
  const seen = new Set<string>();
  const walk = (value: Json, at: string[]) => {
    if (typeof value === 'string' && /^https?:\/\//i.test(value)) {
      const parts = at.filter((p, i) => p !== 'task_result' && p !== 'res' && !(i === at.length - 1 && p === 'url' && at.length > 1));
      let name = safeName([...prefix, ...parts].join('-'));
      for (let n = 2; seen.has(name); n++) name = safeName([...prefix, ...parts, String(n)].join('-'));
      seen.add(name);
      links.push({ url: value, fileName: name + extensionOf(value) });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...at, String(i)]));
    } else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
    }
  };
  walk(data, []);
  return links;
}

export interface SavedFile {
  path: string;
  bytes: number;
  url: string;
}

/** Downloads every link into `dir`, with a progress line on a terminal. */
export async function saveMedia(links: MediaLink[], dir: string, signal?: AbortSignal): Promise<SavedFile[]> {
  const line = new StatusLine();
  await fs.promises.mkdir(dir, { recursive: true });
  const saved: SavedFile[] = [];
  try {
    for (const link of links) {
      const file = path.join(dir, link.fileName);
      const { bytes } = await downloadFile(link.url, file, {
        signal,
        onProgress: ({ received, total }) => line.draw(total
          ? `${link.fileName} ${bar(received / total)} ${formatBytes(received)} / ${formatBytes(total)}`
          : `${link.fileName} ${formatBytes(received)}`),
      });
      saved.push({ path: file, bytes, url: link.url });
    }
  } finally {
    line.stop();
  }
  return saved;
}
