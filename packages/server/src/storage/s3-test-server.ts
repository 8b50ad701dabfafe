// An S3-compatible server for tests: s3rver in this process, on 127.0.0.1 with a random port, a fresh folder and
// one bucket made through its configuration (its bucket-level API is not used). It checks SigV4 signatures, so
// a wrongly signed request fails as it would on a real store. If it cannot start, the caller's test fails.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from '@20minutes/s3rver';
import { s3ConfigFromEnv, type S3StorageConfig } from './s3-config.ts';

export interface S3TestServer {
  endpoint: string;
  /** Where s3rver keeps objects: <directory>/<bucket>/<key>._S3rver_object */
  directory: string;
  /** The settings an operator would give kiln for this server and bucket. */
  config: (prefix?: string) => S3StorageConfig;
  /** Multipart uploads completed so far. */
  multipartUploads: () => number;
  close: () => Promise<void>;
}

export async function startS3TestServer(bucket: string): Promise<S3TestServer> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  let multipartUploads = 0;
  // s3rver reports a completed multipart upload as ObjectCreated:Post, a single PUT as ObjectCreated:Put.
  server.on('event', (event) => {
    if (event.Records[0]?.eventName === 'ObjectCreated:Post') multipartUploads++;
  });
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    directory,
    config: (prefix = '') => s3ConfigFromEnv({
      KILN_STORAGE_URL: `s3://${bucket}/${prefix}`,
      KILN_S3_ENDPOINT: endpoint,
      KILN_S3_REGION: 'us-east-1',
      // s3rver's built-in account.
      KILN_S3_ACCESS_KEY_ID: 'S3RVER',
      KILN_S3_SECRET_ACCESS_KEY: 'S3RVER',
      KILN_S3_FORCE_PATH_STYLE: 'true',
    })!,
    multipartUploads: () => multipartUploads,
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
