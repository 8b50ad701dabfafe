// The Storage port's behaviour suite on a real S3-compatible server (s3rver, started in this process: it checks
// SigV4 signatures and stores objects in a temp folder), plus what only the S3 adapter promises.

import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Storage } from './s3-storage.ts';
import { startS3TestServer, type S3TestServer } from './s3-test-server.ts';
import { runStorageCases } from './storage-cases.ts';

function storageFor(s3: S3TestServer, prefix: string) {
  return new S3Storage(s3.config(prefix), 'secret');
}

runStorageCases('S3-compatible bucket', async () => {
  const s3 = await startS3TestServer('kiln-cases');
  const storage = storageFor(s3, 'media');
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
  let s3: S3TestServer;
  let storage: S3Storage;
  beforeAll(async () => {
    s3 = await startS3TestServer('kiln-media');
    storage = storageFor(s3, 'team/results');
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
    const wrong = new S3Storage({ ...s3.config(), credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'wrong' } }, 'secret');
    await expect(wrong.ready()).rejects.toThrow();
    wrong.close();
  });
});
