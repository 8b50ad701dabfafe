// A small outbound POST with a timeout and the address guard, used to deliver callbacks.

import http from 'node:http';
import https from 'node:https';
import { assertHostAllowed, guardedLookup } from './address-guard.ts';

export interface PostResult {
  status: number;
  body: string;
}

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
}

export function postJson(target: string, body: string, options: PostOptions): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(target);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`);
      if (!options.allowPrivate) assertHostAllowed(url);
    } catch (error) {
      return reject(error);
    }
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers },
      lookup: options.allowPrivate ? undefined : (guardedLookup as any),
      timeout: options.timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        // Only the start of a receiver's answer is kept, for the delivery log.
        if (size < 4096) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 4096) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
