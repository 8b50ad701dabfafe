// What users of other generation SDKs expect, against a kiln server: files as media inputs (Buffer, Blob, a path
// through @kiln/sdk/node) sent as Base64 after the field's size limit is checked; each answer's headers and
// request_id through onResponse; a log level and logger of one's own.

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError, Kling, KlingApiError, toBase64, type Logger, type ResponseInfo } from '@kiln/sdk';
import { fileFrom } from '@kiln/sdk/node';
import { startTestServer, tempDir, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
let kling: Kling;
/** The `image` of each create this client sent, as it went on the wire. */
const sentImages: unknown[] = [];
let photo: Buffer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  const recording = (async (url: string, init: RequestInit) => {
    if (init.method === 'POST') sentImages.push(JSON.parse(String(init.body)).image);
    return fetch(url, init);
  }) as unknown as typeof fetch;
  kling = new Kling({ provider: 'kiln', baseUrl: server.url, apiKey: server.creds.api_key, env: {}, poll: { intervalMs: 200 }, fetch: recording });
  photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#c0392b' } }).png().toBuffer();
  dir = tempDir('kiln-sdk-files-');
  fs.writeFileSync(path.join(dir, 'photo.png'), photo);
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A Blob that reports a size and records whether anything read it. */
class WatchedBlob extends Blob {
  reads = 0;
  constructor(private readonly reported: number) { super([new Uint8Array(8)]); }
  override get size() { return this.reported; }
  override arrayBuffer(): Promise<ArrayBuffer> { this.reads++; return super.arrayBuffer(); }
}

describe('files as media inputs', () => {
  it('a Buffer, a Blob and a file path become the Base64 Kling wants, and the task renders from them', async () => {
    const inputs = { buffer: photo, blob: new Blob([new Uint8Array(photo)], { type: 'image/png' }), path: await fileFrom(path.join(dir, 'photo.png')) };
    for (const [kind, image] of Object.entries(inputs)) {
      const task = await kling.videos.image2video.createAndWait({ image, duration: '5' }, { timeoutMs: 60_000 });
      expect(task.task_status, kind).toBe('succeed');
    }
    // Raw Base64 (no data: prefix), byte for byte the file, each time.
    expect(sentImages).toEqual([photo.toString('base64'), photo.toString('base64'), photo.toString('base64')]);
    expect(await toBase64(photo)).toBe(photo.toString('base64'));
  }, 180_000);

  it('a file over its field\'s limit is refused before it is read or anything is sent', async () => {
    const sent: string[] = [];
    const offline = new Kling({
      provider: 'kiln', baseUrl: server.url, apiKey: 'k', env: {},
      fetch: (async (url: string) => { sent.push(String(url)); return new Response('{}'); }) as unknown as typeof fetch,
    });
    const huge = new WatchedBlob(11 * 1024 * 1024);
    const error = await offline.videos.image2video.create({ image: huge, duration: '5' }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ code: 1201, local: true });
    expect(error.message).toBe('1201 image: image must be at most 10 MB (got 11.0 MB)');
    expect(huge.reads).toBe(0);
    const misplaced = await offline.videos.text2video.create({ prompt: new Uint8Array(4) as never, duration: '5' }).catch((e) => e);
    expect(misplaced.message).toBe('1201 prompt: a file is accepted only in an image, video or sound field');
    expect(sent).toEqual([]);
  });

  it('fileFrom names a missing file', async () => {
    await expect(fileFrom(path.join(dir, 'missing.png'))).rejects.toThrow(`file not found: ${path.join(dir, 'missing.png')}`);
  });

  it('encodes without Node\'s Buffer too (browsers, edge runtimes)', async () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7919) % 256);
    const expected = Buffer.from(bytes).toString('base64');
    const saved = globalThis.Buffer;
    (globalThis as { Buffer?: unknown }).Buffer = undefined;
    try {
      expect(await toBase64(bytes)).toBe(expected);
    } finally {
      globalThis.Buffer = saved;
    }
  });
});

describe('answers: headers and request_id', () => {
  it('onResponse, per call and per client, sees the status, the headers and the request_id', async () => {
    const perClient: ResponseInfo[] = [];
    const client = new Kling({ provider: 'kiln', baseUrl: server.url, apiKey: server.creds.api_key, env: {}, onResponse: (r) => perClient.push(r) });
    let perCall: ResponseInfo | undefined;
    const created = await client.videos.text2video.create({ prompt: 'a fox', duration: '5' }, { onResponse: (r) => { perCall = r; } });
    expect(perCall).toMatchObject({ method: 'POST', path: '/v1/videos/text2video', httpStatus: 200, requestId: expect.any(String) });
    expect(perCall!.headers.get('content-type')).toMatch(/application\/json/);
    expect(perClient).toEqual([perCall]);
    const missing = await client.videos.text2video.get('404404', { onResponse: (r) => { perCall = r; } }).catch((e) => e);
    expect(missing).toBeInstanceOf(KlingApiError);
    expect(perCall!.httpStatus).toBe(missing.httpStatus);
    expect(perCall!.requestId).toBe(missing.requestId);
    expect(created.task_id).toMatch(/^\d+$/);
  });
});

describe('logging', () => {
  const recorder = () => {
    const lines: [string, string][] = [];
    const logger: Logger = {
      error: (m) => lines.push(['error', m]), warn: (m) => lines.push(['warn', m]),
      info: (m) => lines.push(['info', m]), debug: (m) => lines.push(['debug', m]),
    };
    return { lines, logger };
  };

  it("logLevel 'debug' logs every exchange with its request_id; the default logs none", async () => {
    const debug = recorder();
    const client = new Kling({ provider: 'kiln', baseUrl: server.url, apiKey: server.creds.api_key, env: {}, logLevel: 'debug', logger: debug.logger });
    await client.videos.text2video.list({ pageSize: 1 });
    expect(debug.lines).toEqual([['debug', expect.stringMatching(/^kling: GET \/v1\/videos\/text2video 200 in \d+ ms \(request_id \S+\)$/)]]);
    const quiet = recorder();
    await new Kling({ provider: 'kiln', baseUrl: server.url, apiKey: server.creds.api_key, env: {}, logger: quiet.logger }).videos.text2video.list({ pageSize: 1 });
    expect(quiet.lines).toEqual([]);
  });

  it("'info' logs retries, and KLING_LOG sets the level", async () => {
    const info = recorder();
    let calls = 0;
    const fetch = (async () => (++calls === 1
      ? new Response('{"code":5000,"message":"busy","request_id":"r1"}', { status: 503 })
      : new Response('{"code":0,"message":"SUCCEED","request_id":"r2","data":[]}'))) as unknown as typeof globalThis.fetch;
    const client = new Kling({ provider: 'kiln', baseUrl: server.url, apiKey: 'k', env: { KLING_LOG: 'info' }, logger: info.logger, fetch, retry: { baseDelayMs: 1 } });
    await client.videos.text2video.list();
    expect(info.lines).toEqual([['info', expect.stringMatching(/^kling: retrying GET \/v1\/videos\/text2video in \d+ ms: 503 5000 busy$/)]]);
    expect(() => new Kling({ apiKey: 'k', env: { KLING_LOG: 'loud' } })).toThrow("KLING_LOG must be off, error, warn, info or debug (got 'loud')");
  });
});
