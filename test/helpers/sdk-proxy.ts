// A loopback proxy in front of a test server that misbehaves on request, as networks do: it can forward a request
// and then cut the connection before the answer (a lost create answer), cut an answer's body after some bytes
// (a broken download), or answer by itself (a stub). It records every request it saw.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyAction =
  | 'forward'
  /** Forward, let the target answer in full, then close the client's connection without a byte of it. */
  | 'drop-answer'
  /** Forward, pass the status, headers and the first `cutAfter` bytes of the body, then close the connection. */
  | { cutAfter: number }
  /** Forward, passing the body on in `chunk`-byte pieces every `everyMs` (a slow network). */
  | { slow: { chunk: number; everyMs: number } }
  | { respond: { status: number; headers?: Record<string, string>; body?: string } };

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface LoopbackProxy {
  url: string;
  /** Where requests go; may be set after start (e.g. for a server whose public URL is the proxy). */
  target: string;
  seen: SeenRequest[];
  /** Decides what to do with each request; `forward` by default. */
  decide: (request: SeenRequest, index: number) => ProxyAction;
  close: () => Promise<void>;
}

export async function startProxy(target = 'http://127.0.0.1:9'): Promise<LoopbackProxy> {
  const proxy: LoopbackProxy = { url: '', target, seen: [], decide: () => 'forward', close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const action = proxy.decide(seen, proxy.seen.length);
      proxy.seen.push(seen);
      if (typeof action === 'object' && 'respond' in action) {
        res.writeHead(action.respond.status, { 'content-type': 'application/json', ...action.respond.headers });
        res.end(action.respond.body ?? '');
        return;
      }
      const targetUrl = new URL(proxy.target);
      const upstream = http.request({
        host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url,
        headers: { ...req.headers, host: targetUrl.host, connection: 'close' },
      }, (answer) => {
        if (action === 'drop-answer') {
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode!, answer.headers);
        if (action === 'forward') {
          answer.pipe(res);
          return;
        }
        if ('slow' in action) {
          const { chunk, everyMs } = action.slow;
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            let rest = Buffer.concat(parts);
            const drip = setInterval(() => {
              if (res.destroyed || rest.length === 0) {
                clearInterval(drip);
                res.end();
                return;
              }
              res.write(rest.subarray(0, chunk));
              rest = rest.subarray(chunk);
            }, everyMs);
          });
          return;
        }
        let left = action.cutAfter;
        let cut = false;
        answer.on('data', (chunk: Buffer) => {
          if (cut) return;
          const part = chunk.subarray(0, left);
          left -= part.length;
          res.write(part);
          if (left > 0) return;
          cut = true;
          // A moment before the cut, as when a stalled connection drops: fetch discards body bytes the reader
          // has not taken yet when the stream errors, so an instant cut could lose all of them.
          setTimeout(() => res.socket?.end(), 150);
        });
        answer.on('end', () => {
          if (!cut) res.end();
        });
      });
      upstream.on('error', () => req.socket.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return proxy;
}

/** A fetch that counts and records what the SDK sends, then really sends it. */
export function countingFetch(inner: typeof fetch = fetch) {
  const calls: { method: string; url: string; authorization?: string; at: number }[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    calls.push({ method: init?.method ?? 'GET', url, authorization: headers.get('authorization') ?? undefined, at: Date.now() });
    return inner(input, init);
  };
  return { fetch: wrapped, calls };
}
