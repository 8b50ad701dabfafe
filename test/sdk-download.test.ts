// download() from @kiln/sdk/node against kiln's signed media URLs: whole files, resuming with HTTP Range after a
// connection is cut (within one call, and across calls through the .part file), the size cap, and the 30-day
// expiry.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskObject } from '@kiln/sdk';
import { download, DownloadError, DownloadTooLargeError, ResultExpiredError } from '@kiln/sdk/node';
import { startTestServer, tempDir, type TestServer } from './helpers/test-server.ts';
import { clientFor } from './helpers/sdk-samples.ts';
import { countingFetch, startProxy, type LoopbackProxy } from './helpers/sdk-proxy.ts';

let server: TestServer;
let proxy: LoopbackProxy;
let video: TaskObject;
let image: TaskObject;
let original: Buffer;
beforeAll(async () => {
  server = await startTestServer();
  proxy = await startProxy(server.url);
  const client = clientFor(server);
  [video, image] = await Promise.all([
    client.videos.text2video.createAndWait({ model_name: 'kling-v3', prompt: 'rain on a window', mode: 'std', duration: '3' }),
    client.images.generations.createAndWait({ prompt: 'a red kite', aspect_ratio: '1:1', n: 2 }),
  ]);
  original = Buffer.from(await (await fetch(video.task_result!.videos![0].url)).arrayBuffer());
  expect(original.length).toBeGreaterThan(5_000);
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

/** The same task with its URLs pointing at the proxy, so the proxy can break the transfer. */
const viaProxy = (task: TaskObject): TaskObject => JSON.parse(JSON.stringify(task).replaceAll(server.url, proxy.url));
const listing = (dir: string) => fs.readdirSync(dir).sort();

describe('download', () => {
  it("saves every output under the task's id, with nothing left over", async () => {
    const dir = tempDir('kiln-dl-');
    const videos = await download(video, dir);
    const images = await download(image, dir);
    expect(videos.map((f) => path.basename(f.path))).toEqual([`${video.task_id}-0.mp4`]);
    expect(images.map((f) => path.basename(f.path))).toEqual([`${image.task_id}-0.png`, `${image.task_id}-1.png`]);
    expect(fs.readFileSync(videos[0].path).equals(original)).toBe(true);
    expect(videos[0].bytes).toBe(original.length);
    expect(listing(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('resumes with a Range request when the connection is cut mid-file', async () => {
    const dir = tempDir('kiln-dl-');
    proxy.seen.length = 0;
    const cut = Math.floor(original.length / 2);
    proxy.decide = (_req, i) => (i === 0 ? { cutAfter: cut } : 'forward');
    const progress: number[] = [];
    const [file] = await download(viaProxy(video), dir, { onProgress: (p) => progress.push(p.received) });
    expect(file.resumed).toBe(true);
    expect(fs.readFileSync(file.path).equals(original)).toBe(true);
    expect(proxy.seen).toHaveLength(2);
    expect(proxy.seen[0].headers.range).toBeUndefined();
    expect(proxy.seen[1].headers.range).toBe(`bytes=${cut}-`);
    expect(progress.at(-1)).toBe(original.length);
  });

  it('keeps the .part of an interrupted download, and a later call finishes it', async () => {
    const dir = tempDir('kiln-dl-');
    proxy.seen.length = 0;
    const cut = Math.floor(original.length / 3);
    proxy.decide = (_req, i) => (i === 0 ? { cutAfter: cut } : 'forward');
    const error = await download(viaProxy(video), dir, { retries: 0 }).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toMatch(/resumes/);
    expect(listing(dir)).toEqual([`${video.task_id}-0.mp4.part`]);
    expect(fs.statSync(path.join(dir, `${video.task_id}-0.mp4.part`)).size).toBe(cut);

    const [file] = await download(viaProxy(video), dir);
    expect(proxy.seen[1].headers.range).toBe(`bytes=${cut}-`);
    expect(fs.readFileSync(file.path).equals(original)).toBe(true);
    expect(listing(dir)).toEqual([`${video.task_id}-0.mp4`]);
  });

  it('refuses a file over the size cap and leaves nothing behind', async () => {
    const dir = tempDir('kiln-dl-');
    const error = await download(video, dir, { maxBytes: Math.floor(original.length / 2) }).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadTooLargeError);
    expect(listing(dir)).toEqual([]);
  });

  it('refuses results past their 30-day expiry without fetching, unless forced', async () => {
    const dir = tempDir('kiln-dl-');
    const counter = countingFetch();
    const old = { ...video, created_at: Date.now() - 31 * 24 * 3600_000 };
    const error = await download(old, dir, { fetch: counter.fetch }).catch((e) => e);
    expect(error).toBeInstanceOf(ResultExpiredError);
    expect(error.message).toMatch(/expired on \d{4}-\d\d-\d\d/);
    expect(counter.calls).toHaveLength(0);
    const [file] = await download(old, dir, { fetch: counter.fetch, force: true });
    expect(fs.statSync(file.path).size).toBe(original.length);
  });

  it('says a task that has not succeeded has nothing to download', async () => {
    const error = await download({ ...video, task_status: 'processing', task_result: {} }, tempDir('kiln-dl-')).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toMatch(/processing/);
  });
});
