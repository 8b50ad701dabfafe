// S3 in front of local files, as kiln runs with KILN_STORAGE_URL: the port's behaviour suite, and the fallback.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayeredStorage } from './layered-storage.ts';
import { LocalStorage } from './local-storage.ts';
import { S3Storage } from './s3-storage.ts';
import { startS3TestServer, type S3TestServer } from './s3-test-server.ts';
import { runStorageCases } from './storage-cases.ts';

async function layered(s3: S3TestServer) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-layered-'));
  const bucket = new S3Storage(s3.config('media'), 'secret');
  const local = new LocalStorage(root, 'secret');
  return { bucket, local, storage: new LayeredStorage(bucket, local), root };
}

runStorageCases('S3 in front of local files', async () => {
  const s3 = await startS3TestServer('kiln-layered-cases');
  const { storage, bucket, root } = await layered(s3);
  return {
    storage,
    multipartUploads: s3.multipartUploads,
    close: async () => {
      bucket.close();
      await s3.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
});

describe('LayeredStorage', () => {
  let s3: S3TestServer;
  let parts: Awaited<ReturnType<typeof layered>>;
  beforeAll(async () => {
    s3 = await startS3TestServer('kiln-layered');
    parts = await layered(s3);
  });
  afterAll(async () => {
    parts?.bucket.close();
    await s3?.close();
  });

  it('serves from the bucket first, and from local files what was never uploaded', async () => {
    await parts.local.put('7/video.mp4', Readable.from([Buffer.from('local copy')]));
    await parts.bucket.put('7/video.mp4', Readable.from([Buffer.from('bucket copy')]));
    await parts.local.put('8/audio.mp3', Readable.from([Buffer.from('only local')]));
    const read = async (key: string) => Buffer.concat(await (await parts.storage.open(key)).body.toArray()).toString();
    expect(await read('7/video.mp4')).toBe('bucket copy');
    expect(await read('8/audio.mp3')).toBe('only local');
    expect(await parts.storage.stat('8/audio.mp3')).toEqual({ size: 10, contentType: 'audio/mpeg' });
    // Only what is in the bucket can be redirected to.
    expect(await parts.storage.presignedUrl('7/video.mp4', 60)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/kiln-layered\/media\/7\/video\.mp4\?/);
    expect(await parts.storage.presignedUrl('8/audio.mp3', 60)).toBeUndefined();
  });
});
