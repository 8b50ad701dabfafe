import { describe, expect, it } from 'vitest';
import { Kling } from './client.ts';
import { InvalidRequestError } from './errors.ts';

/** A client whose fetch counts calls and answers nothing useful: a local refusal never reaches it. */
function offlineClient() {
  const calls: string[] = [];
  const fetch = (async (url: string) => {
    calls.push(String(url));
    return new Response('{"code":5000,"message":"unexpected","request_id":"r"}', { status: 500 });
  }) as unknown as typeof globalThis.fetch;
  return { calls, client: new Kling({ provider: 'kiln', baseUrl: 'http://127.0.0.1:9', apiKey: 'k', env: {}, fetch }) };
}

/** Base64 of a PNG header announcing width × height, followed by `extra` bytes. */
function png(width: number, height: number, extra = 16): string {
  const head = new Uint8Array(24 + extra);
  head.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(head.buffer).setUint32(16, width);
  new DataView(head.buffer).setUint32(20, height);
  return Buffer.from(head).toString('base64');
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e) => e);
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(error.local).toBe(true);
  return error as InvalidRequestError;
}

describe('Base64 media is held to its field\'s limits before sending', () => {
  it('a motion-control image too small or too large is refused locally, naming the field and the limit', async () => {
    const { client, calls } = offlineClient();
    const body = { video_url: 'https://example.com/m.mp4', character_orientation: 'video', mode: 'std' } as const;
    const small = await refusal(client.videos.motionControl.create({ ...body, image_url: png(200, 400) }));
    expect(small.message).toMatch(/image_url: image width and height must be 300–65536 px \(got 200x400\)/);
    const big = await refusal(client.videos.motionControl.create({ ...body, image_url: png(1000, 1000, 11 * 1024 * 1024) }));
    expect(big.message).toMatch(/image_url: image must be at most 10 MB \(got 11\.0 MB\)/);
    expect(calls).toEqual([]);
  });

  it('a sound over 5 MB is refused locally', async () => {
    const { client, calls } = offlineClient();
    const sound = Buffer.alloc(6 * 1024 * 1024).toString('base64');
    const error = await refusal(client.videos.avatar.create({ image: 'https://example.com/p.png', sound_file: sound }));
    expect(error.message).toMatch(/sound_file: audio must be at most 5 MB/);
    expect(calls).toEqual([]);
  });
});
