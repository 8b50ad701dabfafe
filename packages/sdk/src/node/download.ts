// Saving a task's outputs to disk (Node only): each file is streamed to `<name>.part` under a size cap, resumed
// with an HTTP Range request when the connection is cut (now, or by a later call), and renamed into place only
// when complete. Results past Kling's 30-day retention are refused unless forced.

import fs from 'node:fs';
import path from 'node:path';
import { RESULT_LIFETIME_MS } from '@kiln/contract';
import type { TaskObject } from '@kiln/contract';
import { KlingAbortError, KlingSdkError } from '../errors.ts';
import { taskOutputs, type TaskOutput } from '../outputs.ts';
import { backoffDelay, sleep } from '../retry.ts';

/** Kling deletes generated media 30 days after the task (spec §1.4): the contract's figure. */
export { RESULT_LIFETIME_MS };

export class DownloadError extends KlingSdkError {
  constructor(message: string, readonly url?: string, cause?: unknown) {
    super(message, { cause });
  }
}
export class ResultExpiredError extends DownloadError {}
export class DownloadTooLargeError extends DownloadError {}

export interface DownloadProgress {
  output?: TaskOutput;
  path: string;
  received: number;
  total?: number;
}

export interface FileDownloadOptions {
  signal?: AbortSignal;
  /** Largest file accepted, in bytes; default 2 GiB. */
  maxBytes?: number;
  /** Reconnections per file after a cut connection, each resuming where it stopped; default 3. */
  retries?: number;
  onProgress?: (progress: DownloadProgress) => void;
  fetch?: typeof fetch;
}

export interface DownloadOptions extends FileDownloadOptions {
  /** Download even when the results are past their 30-day expiry. */
  force?: boolean;
  /** Save the `watermark_url` files instead of the plain ones. */
  watermarked?: boolean;
  now?: () => number;
}

export interface DownloadedFile extends TaskOutput {
  path: string;
  bytes: number;
  /** True when some of the file came from an earlier, interrupted attempt. */
  resumed: boolean;
}

const fileSize = (file: string) => fs.promises.stat(file).then((s) => s.size, () => 0);
const safeName = (name: string) => name.replace(/[^\w.-]/g, '_');

/** Saves every output of a finished task into `dir` and returns where each went. */
export async function download(task: TaskObject, dir: string, options: DownloadOptions = {}): Promise<DownloadedFile[]> {
  if (task.task_status !== 'succeed') {
    throw new DownloadError(`task ${task.task_id} is ${task.task_status}: only a succeeded task has results to download`);
  }
  const now = (options.now ?? Date.now)();
  const expiredAt = task.created_at + RESULT_LIFETIME_MS;
  if (now >= expiredAt && !options.force) {
    throw new ResultExpiredError(
      `the results of task ${task.task_id} expired on ${new Date(expiredAt).toISOString()} (30 days after the task); pass force to try anyway`,
    );
  }
  const outputs = taskOutputs(task, { watermarked: options.watermarked });
  if (!outputs.length) throw new DownloadError(`task ${task.task_id} has no ${options.watermarked ? 'watermarked ' : ''}outputs`);
  await fs.promises.mkdir(dir, { recursive: true });
  const saved: DownloadedFile[] = [];
  for (const output of outputs) {
    const file = path.join(dir, safeName(output.fileName));
    const result = await downloadFile(output.url, file, {
      ...options,
      onProgress: options.onProgress && ((p) => options.onProgress!({ ...p, output })),
    });
    saved.push({ ...output, path: file, ...result });
  }
  return saved;
}

/** Streams one URL to `dest` through `dest.part`, resuming a `.part` left by an earlier attempt. */
export async function downloadFile(url: string, dest: string, options: FileDownloadOptions = {}): Promise<{ bytes: number; resumed: boolean }> {
  const { signal, maxBytes = 2 * 1024 ** 3, retries = 3 } = options;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const part = `${dest}.part`;
  let resumed = false;
  let attempt = 0;
  const again = async (error: unknown, what: string) => {
    if (signal?.aborted) throw new KlingAbortError(signal.reason, true);
    if (attempt >= retries) {
      throw new DownloadError(`${what}; the partial file ${part} is kept and a later download resumes it`, url, error);
    }
    await sleep(backoffDelay(attempt++, { baseDelayMs: 250, maxDelayMs: 4_000 }), signal);
  };
  for (;;) {
    const offset = await fileSize(part);
    let res: Response;
    try {
      res = await fetchFn(url, { headers: offset > 0 ? { range: `bytes=${offset}-` } : {}, signal });
    } catch (error) {
      await again(error, `could not fetch ${url}`);
      continue;
    }
    if (res.status === 416 && offset > 0) {
      // Our .part is not a prefix the server knows: either already complete, or stale.
      const total = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1];
      if (total !== undefined && Number(total) === offset) break;
      await fs.promises.rm(part, { force: true });
      continue;
    }
    if (res.status !== 200 && res.status !== 206) {
      const text = (await res.text().catch(() => '')).slice(0, 300);
      if (res.status === 403 && /expired/i.test(text)) throw new ResultExpiredError(`the result URL has expired: ${text}`, url);
      if (res.status === 429 || res.status >= 500) {
        await again(undefined, `HTTP ${res.status} from ${url}`);
        continue;
      }
      throw new DownloadError(`HTTP ${res.status} from ${url}${text ? `: ${text}` : ''}`, url);
    }
    let start = 0;
    let total: number | undefined;
    if (res.status === 206) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      if (!m || Number(m[1]) !== offset) {
        await res.body?.cancel();
        await fs.promises.rm(part, { force: true });
        continue;
      }
      start = offset;
      total = m[3] === '*' ? undefined : Number(m[3]);
      resumed = true;
    } else {
      const length = res.headers.get('content-length');
      total = length === null ? undefined : Number(length);
    }
    if (total !== undefined && total > maxBytes) {
      await res.body?.cancel();
      throw new DownloadTooLargeError(`${url} is ${total} bytes, more than the limit of ${maxBytes}`, url);
    }
    try {
      await writeBody(res, part, start, maxBytes, (received) => options.onProgress?.({ path: dest, received, total }), signal);
    } catch (error) {
      if (error instanceof DownloadTooLargeError) {
        await fs.promises.rm(part, { force: true });
        throw new DownloadTooLargeError(`${url} is larger than the limit of ${maxBytes} bytes`, url);
      }
      await again(error, `the connection was cut while downloading ${url}`);
      continue;
    }
    const size = await fileSize(part);
    if (total !== undefined && size < total) {
      await again(undefined, `the download of ${url} ended early (${size} of ${total} bytes)`);
      continue;
    }
    break;
  }
  await fs.promises.rename(part, dest);
  return { bytes: await fileSize(dest), resumed };
}

/**
 * Appends the body to the file chunk by chunk, each write awaited: when the connection is cut, every byte received
 * that was read is already on disk for the next attempt to resume from (a stream pipeline would drop its buffer).
 */
async function writeBody(
  res: Response, file: string, start: number, maxBytes: number, onReceived: (n: number) => void, signal?: AbortSignal,
): Promise<void> {
  const handle = await fs.promises.open(file, start > 0 ? 'a' : 'w');
  try {
    if (!res.body) return;
    let received = start;
    // Node's web streams are async iterable; the DOM typings do not say so.
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      signal?.throwIfAborted();
      received += chunk.length;
      if (received > maxBytes) throw new DownloadTooLargeError('too large');
      await handle.write(chunk);
      onReceived(received);
    }
  } finally {
    await handle.close();
  }
}
