// Fetches an input file (an image URL in a request) with a size cap, a timeout and the address guard.

import http from 'node:http';
import https from 'node:https';
import { assertHostAllowed, guardedLookup } from './address-guard.ts';

export interface GetOptions {
  maxBytes: number;
  timeoutMs: number;
  allowPrivate: boolean;
  redirects?: number;
}

export class FetchError extends Error {}

export function fetchBuffer(target: string, options: GetOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(target);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError(`unsupported URL scheme ${url.protocol}`);
      if (!options.allowPrivate) assertHostAllowed(url);
    } catch (error) {
      return reject(error instanceof FetchError ? error : new FetchError((error as Error).message));
    }
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, {
      lookup: options.allowPrivate ? undefined : (guardedLookup as any),
      timeout: options.timeoutMs,
    }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && (options.redirects ?? 3) > 0) {
        res.resume();
        const next = new URL(res.headers.location, url).toString();
        return resolve(fetchBuffer(next, { ...options, redirects: (options.redirects ?? 3) - 1 }));
      }
      if (status !== 200) {
        res.resume();
        return reject(new FetchError(`HTTP ${status} from ${url.host}`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          req.destroy(new FetchError(`larger than ${Math.round(options.maxBytes / 1024 / 1024)} MB`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', (e) => reject(new FetchError(e.message)));
    });
    req.on('timeout', () => req.destroy(new FetchError(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', (e) => reject(e instanceof FetchError ? e : new FetchError(e.message)));
  });
}
