// For the SDK and CLI tests: a client pointed at a test server, a sample input image, and a small valid request
// for every family the contract defines (short, std, so a 2-core machine renders each in a second or two).

import sharp from 'sharp';
import { families } from '@kiln/contract';
import { Kling, type ClientOptions } from '@kiln/sdk';
import type { TestServer } from './test-server.ts';

/** A 640×480 PNG, two colours, as raw Base64 (the form Kling wants). */
export async function sampleImage(): Promise<Buffer> {
  const right = await sharp({ create: { width: 320, height: 480, channels: 3, background: '#1060d0' } }).png().toBuffer();
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#d04010' } })
    .composite([{ input: right, left: 320, top: 0 }]).png().toBuffer();
}

/** One valid, quick request per family name. A family added to the contract needs an entry here. */
export async function sampleRequests(): Promise<Record<string, Record<string, unknown>>> {
  const image = (await sampleImage()).toString('base64');
  return {
    'omni-video': { prompt: 'a paper boat on a pond', aspect_ratio: '16:9', mode: 'std', duration: '3' },
    text2video: { model_name: 'kling-v3', prompt: 'a red fox in the snow', mode: 'std', duration: '3' },
    image2video: { model_name: 'kling-v3', image, prompt: 'the flag waves', mode: 'std', duration: '3' },
    'multi-image2video': { image_list: [{ image }], prompt: 'two friends wave', mode: 'std', duration: '5' },
    'omni-image': { prompt: 'a blue teapot', resolution: '1k', aspect_ratio: '1:1' },
    generations: { prompt: 'a lighthouse at dusk', aspect_ratio: '1:1', n: 1 },
    'multi-image2image': { subject_image_list: [{ subject_image: image }], prompt: 'the subject on a beach', aspect_ratio: '1:1' },
  };
}

export const familiesWithoutSample = (samples: Record<string, unknown>) => families.filter((f) => !(f.name in samples)).map((f) => f.name);

/** Fast polling and retries, so tests spend their time on the server's work, not on sleeping. */
export function clientFor(server: TestServer, extra: ClientOptions = {}): Kling {
  return new Kling({
    provider: 'kiln',
    baseUrl: server.url,
    apiKey: server.creds.api_key,
    poll: { intervalMs: 150, maxIntervalMs: 600 },
    retry: { baseDelayMs: 50, maxDelayMs: 200 },
    waitTimeoutMs: 90_000,
    env: {},
    ...extra,
  });
}

/** An image URL nothing answers (a loopback port just closed): the task is accepted, then fails reading it. */
export async function unreachableImageUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/missing.png`;
}
