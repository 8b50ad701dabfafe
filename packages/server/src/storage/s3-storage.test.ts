// The Storage port's behaviour suite on a real S3-compatible server (s3rver, started in this process: it checks
// SigV4 signatures and stores objects in a temp folder), plus what only the S3 adapter promises.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import S3rver from '@20minutes/s3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3ConfigFromEnv } from './s3-config.ts';
import { S3Storage } from './s3-storage.ts';
import { runStorageCases } from './storage-cases.ts';

/** An s3rver on 127.0.0.1 with a random port, a fresh folder and one bucket; fails the suite if it cannot start. */
async function startS3(bucket: string) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  let multipartUploads = 0;
  // s3rver reports a completed multipart upload as ObjectCreated:Post, a single PUT as ObjectCreated:Put.
  server.on('event', (event) => {
    if (event.Records[0]?.eventName === 'ObjectCreated:Post') multipartUploads++;
  });
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    multipartUploads: () => multipartUploads,
    directory,
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

function storageFor(endpoint: string, bucket: string, prefix: string) {
  const config = s3ConfigFromEnv({
    KILN_STORAGE_URL: `s3://${bucket}/${prefix}`,
    KILN_S3_ENDPOINT: endpoint,
    KILN_S3_REGION: 'us-east-1',
    KILN_S3_ACCESS_KEY_ID: 'S3RVER',
    KILN_S3_SECRET_ACCESS_KEY: 'S3RVER',
    KILN_S3_FORCE_PATH_STYLE: 'true',
  })!;
  return new S3Storage(config, 'secret');
}

runStorageCases('S3-compatible bucket', async () => {
  const s3 = await startS3('kiln-cases');
  const storage = storageFor(s3.endpoint, 'kiln-cases', 'media');
  return {
    storage,
    multipartUploads: s3.multipartUploads,
    close: async () => {
      storage.close();
      await s3.close();
    },
  };
});

describe('S3Storage', () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  let storage: S3Storage;
  beforeAll(async () => {
    s3 = await startS3('kiln-media');
    storage = storageFor(s3.endpoint, 'kiln-media', 'team/results');
  });
  afterAll(async () => {
    storage?.close();
    await s3?.close();
  });

  it('stores objects under the configured prefix', async () => {
    await storage.put('42/video.mp4', Readable.from([Buffer.from('movie')]));
    // s3rver keeps each object's bytes in a folder named after its key.
    expect(fs.existsSync(path.join(s3.directory, 'kiln-media', 'team', 'results', '42', 'video.mp4._S3rver_object'))).toBe(true);
  });

  it('offers a short-lived presigned URL that a plain HTTP client can download', async () => {
    await storage.put('43/image-0.png', Readable.from([Buffer.from('png bytes')]), 'image/png');
    const url = await storage.presignedUrl('43/image-0.png', 60);
    const answer = await fetch(url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/png');
    expect(await answer.text()).toBe('png bytes');
    const tampered = new URL(url);
    tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('is not ready when the credentials are wrong', async () => {
    const wrong = new S3Storage({ ...s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://kiln-media', KILN_S3_ENDPOINT: s3.endpoint, KILN_S3_FORCE_PATH_STYLE: 'true', KILN_S3_ACCESS_KEY_ID: 'S3RVER', KILN_S3_SECRET_ACCESS_KEY: 'wrong' })! }, 'secret');
    await expect(wrong.ready()).rejects.toThrow();
    wrong.close();
  });
});
