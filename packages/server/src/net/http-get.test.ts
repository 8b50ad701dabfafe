// Input downloads give up on a server that sends too slowly: a minimum throughput over a window and a total
// deadline. The server here holds its bytes until the test lets them go; time is vitest's fake clock.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchBuffer, fetchToFile } from './http-get.ts';

let server: http.Server;
let base: string;
const held: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    if (req.url === '/whole') return res.end(Buffer.alloc(200_000, 1));
    if (req.url === '/large') {
      // 8 MB in 64 KB writes, each byte telling where it is, so a reordered or dropped chunk shows.
      let sent = 0;
      const more = () => {
        while (sent < LARGE) {
          const chunk = Buffer.alloc(64 * 1024, sent / (64 * 1024));
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      return more();
    }
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

const LARGE = 8 * 1024 * 1024;
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

describe('an output streamed into a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-fetch-'));

  it('arrives whole and in order', async () => {
    const file = join(dir, 'large.bin');
    await fetchToFile(`${base}/large`, file, options);
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(LARGE);
    for (let i = 0; i < LARGE / (64 * 1024); i++) expect(bytes[i * 64 * 1024]).toBe(i % 256);
  });

  it('leaves no file when it is over the size cap, or the server stops sending', async () => {
    const big = join(dir, 'too-big.bin');
    await expect(fetchToFile(`${base}/large`, big, { ...options, maxBytes: 1024 * 1024 })).rejects.toThrow('larger than 1 MB');
    expect(existsSync(big)).toBe(false);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const slow = join(dir, 'slow.bin');
    const outcome = fetchToFile(`${base}/trickle`, slow, options).then(() => 'done', (e: Error) => e.message);
    await whenHeld(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await outcome).toMatch(/^too slow/);
    expect(existsSync(slow)).toBe(false);
  });

  it('says so when the file cannot be written', async () => {
    await expect(fetchToFile(`${base}/whole`, join(dir, 'no-such-folder', 'x.bin'), options)).rejects.toThrow(/could not keep the download: .*ENOENT/);
  });
});
