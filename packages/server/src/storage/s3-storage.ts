// Media storage in an S3-compatible bucket, for kiln scaled out over several processes or machines. Only object
// requests are used (Put, multipart, Get, Head, Delete): kiln's own records say what is stored, so nothing
// depends on bucket listings or HeadBucket, which some S3-compatible stores answer badly.

import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { contentTypeOf } from './content-types.ts';
import { MediaSigner } from './media-signer.ts';
import type { S3StorageConfig } from './s3-config.ts';
import {
  splitKey, StorageNotFoundError, StorageRangeError,
  type ByteRange, type ObjectInfo, type OpenedObject, type PutSource, type Storage, type StorageUsage,
} from './storage.ts';

/** Sources above one part go up as a multipart upload, in parts of this size (S3's minimum part is 5 MB). */
export const S3_PART_BYTES = 8 * 1024 * 1024;
/** Parts in flight per upload: bounds memory to about 4 × 8 MB per put. */
const PARTS_IN_FLIGHT = 4;
/** Deletes in flight when a task's objects are removed. */
const DELETES_IN_FLIGHT = 8;

export class S3Storage implements Storage {
  private readonly client: S3Client;
  private readonly signer: MediaSigner;

  constructor(private readonly config: S3StorageConfig, secret: string) {
    this.signer = new MediaSigner(secret);
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
      requestChecksumCalculation: config.checksums === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
      responseChecksumValidation: config.checksums === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
    });
  }

  url(key: string, expiresAtMs: number): string {
    return this.signer.path(key, expiresAtMs);
  }

  checkUrl(key: string, expires: string | undefined, signature: string | undefined, now = Date.now()) {
    return this.signer.check(key, expires, signature, now);
  }

  async put(key: string, source: PutSource, contentType?: string): Promise<{ size: number }> {
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    const input: Readable = 'file' in source ? fs.createReadStream(source.file) : source;
    input.on('error', (err) => counter.destroy(err));
    // lib-storage sends one PutObject when the source fits in a part, a multipart upload otherwise.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key: this.objectKey(key), Body: input.pipe(counter), ContentType: contentType ?? contentTypeOf(key) },
      partSize: S3_PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
    });
    await upload.done();
    return { size };
  }

  async open(key: string, range?: ByteRange): Promise<OpenedObject> {
    const Range = range ? `bytes=${range.start}-${range.end ?? ''}` : undefined;
    let answer;
    try {
      answer = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key), Range }));
    } catch (err) {
      if (isStatus(err, 404)) throw new StorageNotFoundError(key);
      if (isStatus(err, 416)) throw new StorageRangeError(key, (await this.stat(key))?.size ?? 0);
      throw err;
    }
    const body = answer.Body as Readable;
    const contentType = answer.ContentType ?? contentTypeOf(key);
    const parts = answer.ContentRange && /^bytes (\d+)-(\d+)\/(\d+)$/.exec(answer.ContentRange);
    if (parts) return { body, contentType, start: Number(parts[1]), end: Number(parts[2]), size: Number(parts[3]) };
    const size = answer.ContentLength ?? 0;
    return { body, contentType, start: 0, end: size - 1, size };
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
      return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? contentTypeOf(key) };
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
  }

  // One DeleteObject per name rather than DeleteObjects: the batch call is a bucket-level POST that some
  // S3-compatible stores sign or support differently, and a task has a handful of objects.
  async removeTask(taskId: string, names: readonly string[]): Promise<void> {
    const keys = names.map((name) => `${taskId}/${name}`);
    for (let i = 0; i < keys.length; i += DELETES_IN_FLIGHT) {
      await Promise.all(keys.slice(i, i + DELETES_IN_FLIGHT).map((key) => this.remove(key)));
    }
  }

  async presignedUrl(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }), { expiresIn: expiresInSeconds });
  }

  /** Reachable and signed correctly: a HEAD of an object kiln never writes answers 404, not 403 or a network error. */
  async ready(): Promise<void> {
    await this.stat('0/ready-probe');
  }

  /** Lists kiln's prefix of the bucket page by page; undefined when the store refuses listings (not every does). */
  async usage(): Promise<StorageUsage | undefined> {
    const total: StorageUsage = { objects: 0, bytes: 0 };
    let token: string | undefined;
    try {
      do {
        const list = new ListObjectsV2Command({
          Bucket: this.config.bucket, Prefix: this.config.prefix ? `${this.config.prefix}/` : undefined, ContinuationToken: token,
        });
        // The SDK asks for `/<bucket>/?list-type=2` in path style; some S3-compatible stores (s3rver among them)
        // check the signature against `/<bucket>`. Both forms list the same bucket on S3, so ask for the plain one.
        list.middlewareStack.add((next) => (args) => {
          const request = args.request as { path?: string };
          if (request.path === `/${this.config.bucket}/`) request.path = `/${this.config.bucket}`;
          return next(args);
        }, { step: 'build' });
        const page = await this.client.send(list);
        for (const object of page.Contents ?? []) {
          total.objects += 1;
          total.bytes += object.Size ?? 0;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch {
      return undefined;
    }
    return total;
  }

  close(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    splitKey(key);
    return this.config.prefix ? `${this.config.prefix}/${key}` : key;
  }
}

function isStatus(err: unknown, status: number): boolean {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === status;
}
