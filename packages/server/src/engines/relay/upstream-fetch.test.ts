// The relay's fetch for upstream API calls: what the SDK reads from it (status, headers, body), its errors in the
// shapes the SDK tells apart (never sent, cut off, aborted), and kept-alive connections.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KlingConnectionError, Kling } from '@kiln/sdk';
import { MAX_ANSWER_BYTES, upstreamFetch } from './upstream-fetch.ts';

let server: http.Server;
let base: string;
const connections: number[] = [];
const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.url?.startsWith('/cut')) {
        // Promises 1,000 bytes, sends 10, then the connection drops.
        res.writeHead(200, { 'content-length': '1000' });
        res.write('0123456789');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      if (req.url?.startsWith('/silent')) return; // never answers
      if (req.url === '/endless') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 32);
        const more = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', more);
        };
        return more();
      }
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-request-id': 'r-1', 'set-cookie': ['a=1', 'b=2'] });
      res.end(JSON.stringify({ code: 0, message: 'SUCCEED', request_id: 'r-1', data: { task_id: '12345678901234567890', echo: body } }));
    });
  });
  server.on('connection', () => connections.push(Date.now()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (baseUrl: string, timeoutMs = 5_000) =>
  new Kling({ provider: { kind: 'kling' }, baseUrl, apiKey: 'k', validation: 'off', externalTaskId: false, timeoutMs, fetch: upstreamFetch, env: {} });

describe('upstreamFetch', () => {
  it('sends the method, headers and body, and answers a Response with the status, headers and text', async () => {
    const res = await upstreamFetch(`${base}/v1/videos/text2video?x=1`, {
      method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body: '{"prompt":"ü"}',
    });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('x-request-id')).toBe('r-1');
    expect(res.headers.get('set-cookie')).toContain('a=1');
    expect(JSON.parse(await res.text()).data.echo).toBe('{"prompt":"ü"}');
    const request = seen.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/videos/text2video?x=1', body: '{"prompt":"ü"}' });
    expect(request.headers.authorization).toBe('Bearer k');
    // Counted in bytes, not characters: ü is two.
    expect(request.headers['content-length']).toBe('15');
  });

  it('keeps the connection open between requests', async () => {
    await upstreamFetch(`${base}/a`);
    const before = connections.length;
    for (let i = 0; i < 5; i++) await (await upstreamFetch(`${base}/a`)).text();
    expect(connections.length).toBe(before);
  });

  it('answers error statuses and bodiless ones as Responses', async () => {
    expect((await upstreamFetch(`${base}/missing`)).status).toBe(404);
    const empty = await upstreamFetch(`${base}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  // The relay tells a create that certainly made nothing (it may go to another account) from one that may have made
  // a task (recovered by external id first) by the SDK's requestSent, read from these errors.
  it('fails a refused connection as one the server never saw', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await client(`http://127.0.0.1:${port}`).videos.text2video.create({ prompt: 'a fox' }).catch((e) => e);
    expect(error).toBeInstanceOf(KlingConnectionError);
    expect(error.requestSent).toBe(false);
  });

  it('fails an answer cut off midway as one the server may have acted on', async () => {
    const error = await client(`${base}/cut`).videos.text2video.create({ prompt: 'a fox' }).catch((e) => e);
    expect(error).toBeInstanceOf(KlingConnectionError);
    expect(error.requestSent).toBe(true);
  });

  it('stops reading an answer larger than any API answer', async () => {
    const error = await upstreamFetch(`${base}/endless`).catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error.cause?.message)).toContain(`over ${MAX_ANSWER_BYTES} bytes`);
  });

  it('stops at the signal, with its reason', async () => {
    const controller = new AbortController();
    const pending = upstreamFetch(`${base}/silent`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('enough')), 20);
    await expect(pending).rejects.toThrow('enough');
    await expect(upstreamFetch(`${base}/a`, { signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already');
  });

  it('refuses what it cannot send rather than sending something else', async () => {
    await expect(upstreamFetch('ftp://example.com/x')).rejects.toThrow(/unsupported protocol/);
    await expect(upstreamFetch(`${base}/a`, { method: 'POST', body: new URLSearchParams('a=1') })).rejects.toThrow(/string or byte/);
  });

  it('is what the SDK client runs on: a create, its answer read with long ids intact, a timeout as a connection error', async () => {
    const created = await client(base).videos.text2video.create({ prompt: 'a fox' });
    expect(created.task_id).toBe('12345678901234567890');
    const error = await client(`${base}/silent`, 50).videos.text2video.create({ prompt: 'a fox' }).catch((e) => e);
    expect(error).toBeInstanceOf(KlingConnectionError);
    expect(error.message).toMatch(/no answer within 50 ms/);
  });
});
