// Input downloads give up on a server that sends too slowly: a minimum throughput over a window and a total
// deadline. The server here holds its bytes until the test lets them go; time is vitest's fake clock.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchBuffer } from './http-get.ts';

let server: http.Server;
let base: string;
const held: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    if (req.url === '/whole') return res.end(Buffer.alloc(200_000, 1));
    // A trickle: one byte now, the rest never (until the test ends).
    res.write(Buffer.from([1]));
    held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  vi.useRealTimers();
  held.splice(0).forEach((res) => res.destroy());
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const options = { maxBytes: 10_000_000, timeoutMs: 60_000, allowPrivate: true, minBytesPerSecond: 32 * 1024, windowMs: 10_000, deadlineMs: 60_000 };

async function whenHeld(n: number) {
  // The request reaches the server over a real socket; wait for it by event, not by time.
  while (held.length < n) await new Promise((r) => setImmediate(r));
}

describe('a trickling input', () => {
  it('is abandoned as too slow after one window below the minimum throughput; a prompt one is not', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    expect((await fetchBuffer(`${base}/whole`, options)).length).toBe(200_000);
    const download = fetchBuffer(`${base}/trickle`, options);
    const outcome = download.then(() => 'done', (e: Error) => e.message);
    await whenHeld(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await outcome).toMatch(/^too slow: \d+ bytes in 10 s \(under 32 KB\/s\)$/);
  });

  it('is abandoned at the total deadline even when it keeps just above the minimum', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const download = fetchBuffer(`${base}/trickle`, { ...options, minBytesPerSecond: 0 });
    const outcome = download.then(() => 'done', (e: Error) => e.message);
    await whenHeld(1);
    await vi.advanceTimersByTimeAsync(59_000);
    held[0].write(Buffer.alloc(1000));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await outcome).toBe('too slow: not complete within 60 s');
  });
});
