// Fetches an input file (an image URL in a request) with a size cap, a timeout and the address guard, and gives up
// on a server that sends too slowly: a total deadline and a minimum throughput, so a URL that trickles bytes cannot
// hold a download (and what waits for it) for long. Into memory (fetchBuffer), or streamed into a file
// (fetchToFile) for outputs of any size: a relayed 4K video never sits in memory whole.

import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { assertHostAllowed, guardedLookup } from './address-guard.ts';

export interface GetOptions {
  maxBytes: number;
  /** Socket inactivity timeout (ms). */
  timeoutMs: number;
  allowPrivate: boolean;
  redirects?: number;
  /** The whole download, redirects included, must end within this (ms). */
  deadlineMs?: number;
  /** Fewer bytes than this per second, measured over each `windowMs`, aborts the download as too slow. */
  minBytesPerSecond?: number;
  windowMs?: number;
}

/**
 * Kling gives no figures. 60 s in all matches the socket timeout kiln always had; 32 KB/s over 10 s windows is far
 * below any CDN or object store a client would host inputs on, and far above a server that trickles a byte at a time.
 */
export const INPUT_FETCH_LIMITS = { deadlineMs: 60_000, minBytesPerSecond: 32 * 1024, windowMs: 10_000 } as const;

/**
 * Outputs kept by the relay: files up to gigabytes, from the upstream's CDN. Half an hour in all, and the same floor
 * of 32 KB/s: a 2 GB video at that rate would not make it, but no CDN serves a result that slowly.
 */
export const OUTPUT_FETCH_LIMITS = { deadlineMs: 30 * 60_000, minBytesPerSecond: 32 * 1024, windowMs: 10_000 } as const;

export class FetchError extends Error {}

/** Where a download's bytes go: `write` answers false to ask for a pause until `drain` is called back. */
interface Sink<T> {
  /** Called once with what ends the download when the sink itself fails (a full disk). */
  onFailure?(fail: (error: Error) => void): void;
  write(chunk: Buffer, drained: () => void): boolean;
  end(): Promise<T>;
  abort(): Promise<void>;
}

export function fetchBuffer(target: string, options: GetOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return fetchInto(target, options, {
    write: (chunk) => (chunks.push(chunk), true),
    end: async () => Buffer.concat(chunks),
    abort: async () => undefined,
  });
}

/** Streams the body into `file` (created or replaced); a failed download leaves no file. */
export function fetchToFile(target: string, file: string, options: GetOptions): Promise<void> {
  const out = createWriteStream(file);
  const closed = new Promise<void>((resolve, reject) => {
    out.once('close', resolve);
    out.once('error', reject);
  });
  // Awaited on every path that ends the download; this only keeps an early failure from counting as unhandled.
  closed.catch(() => undefined);
  return fetchInto(target, options, {
    onFailure: (fail) => out.once('error', (e) => fail(new FetchError(`could not keep the download: ${e.message}`))),
    write: (chunk, drained) => {
      const more = out.write(chunk);
      if (!more) out.once('drain', drained);
      return more;
    },
    end: async () => {
      out.end();
      await closed;
    },
    abort: async () => {
      out.destroy();
      await closed.catch(() => undefined);
      await rm(file, { force: true });
    },
  });
}

function fetchInto<T>(target: string, options: GetOptions, sink: Sink<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const deadlineMs = options.deadlineMs ?? INPUT_FETCH_LIMITS.deadlineMs;
    const minRate = options.minBytesPerSecond ?? 0;
    const windowMs = options.windowMs ?? INPUT_FETCH_LIMITS.windowMs;
    let current: http.ClientRequest | undefined;
    let received = 0;
    let receivedAtWindowStart = 0;
    let settled = false;
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(watch);
      if (error) {
        current?.destroy();
        sink.abort().then(() => reject(error), () => reject(error));
      } else sink.end().then(resolve, (e: Error) => reject(new FetchError(`could not keep the download: ${e.message}`)));
    };
    const deadline = setTimeout(() => finish(new FetchError(`too slow: not complete within ${deadlineMs / 1000} s`)), deadlineMs);
    sink.onFailure?.((error) => finish(error));
    const watch = setInterval(() => {
      const inWindow = received - receivedAtWindowStart;
      receivedAtWindowStart = received;
      if (minRate > 0 && inWindow < (minRate * windowMs) / 1000) {
        finish(new FetchError(`too slow: ${inWindow} bytes in ${windowMs / 1000} s (under ${Math.round(minRate / 1024)} KB/s)`));
      }
    }, windowMs);

    const get = (target: string, redirects: number) => {
      let url: URL;
      try {
        url = new URL(target);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError(`unsupported URL scheme ${url.protocol}`);
        if (!options.allowPrivate) assertHostAllowed(url);
      } catch (error) {
        return finish(error instanceof FetchError ? error : new FetchError((error as Error).message));
      }
      const client = url.protocol === 'https:' ? https : http;
      const req = (current = client.get(url, {
        lookup: options.allowPrivate ? undefined : (guardedLookup as any),
        timeout: options.timeoutMs,
      }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location && redirects > 0) {
          res.resume();
          return get(new URL(res.headers.location, url).toString(), redirects - 1);
        }
        if (status !== 200) {
          res.resume();
          return finish(new FetchError(`HTTP ${status} from ${url.host}`));
        }
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > options.maxBytes) {
            finish(new FetchError(`larger than ${Math.round(options.maxBytes / 1024 / 1024)} MB`));
            return;
          }
          // A disk slower than the network pauses the download instead of piling chunks up in memory.
          if (!sink.write(chunk, () => res.resume())) res.pause();
        });
        res.on('end', () => finish(undefined));
        res.on('error', (e) => finish(new FetchError(e.message)));
      }));
      req.on('timeout', () => req.destroy(new FetchError(`no answer within ${options.timeoutMs} ms`)));
      req.on('error', (e) => finish(e instanceof FetchError ? e : new FetchError(e.message)));
    };
    get(target, options.redirects ?? 3);
  });
}
