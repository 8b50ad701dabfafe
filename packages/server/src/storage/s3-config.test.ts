// KILN_STORAGE_URL and KILN_S3_* as an operator writes them.

import { describe, expect, it } from 'vitest';
import { s3ConfigFromEnv } from './s3-config.ts';

describe('s3ConfigFromEnv', () => {
  it('keeps local files when KILN_STORAGE_URL is unset', () => {
    expect(s3ConfigFromEnv({})).toBeUndefined();
  });

  it('reads a bucket, a prefix and every KILN_S3_ setting', () => {
    expect(s3ConfigFromEnv({
      KILN_STORAGE_URL: 's3://kiln-media/prod/results/',
      KILN_S3_ENDPOINT: 'http://minio.internal:9000',
      KILN_S3_REGION: 'eu-west-3',
      KILN_S3_ACCESS_KEY_ID: 'AK',
      KILN_S3_SECRET_ACCESS_KEY: 'SK',
      KILN_S3_FORCE_PATH_STYLE: 'true',
    })).toEqual({
      bucket: 'kiln-media', prefix: 'prod/results', endpoint: 'http://minio.internal:9000', region: 'eu-west-3',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' }, forcePathStyle: true, checksums: 'when_required',
    });
  });

  it("uses AWS's defaults for AWS itself: region us-east-1, credential chain, virtual-hosted style, SDK checksums", () => {
    expect(s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://kiln-media' })).toEqual({
      bucket: 'kiln-media', prefix: '', endpoint: undefined, region: 'us-east-1', credentials: undefined,
      forcePathStyle: false, checksums: 'when_supported',
    });
  });

  it('lets KILN_S3_CHECKSUMS override the checksum choice either way', () => {
    expect(s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://b12', KILN_S3_CHECKSUMS: 'when_required' })?.checksums).toBe('when_required');
    expect(s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://b12', KILN_S3_ENDPOINT: 'https://r2.example', KILN_S3_CHECKSUMS: 'WHEN_SUPPORTED' })?.checksums).toBe('when_supported');
  });

  it('streams media through kiln unless KILN_S3_REDIRECT_SECONDS asks for redirects', () => {
    expect(s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://b12' })?.redirectSeconds).toBeUndefined();
    expect(s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://b12', KILN_S3_REDIRECT_SECONDS: '300' })?.redirectSeconds).toBe(300);
  });

  it('refuses settings that would fail later, naming the variable', () => {
    expect(() => s3ConfigFromEnv({ KILN_STORAGE_URL: 'https://kiln-media' })).toThrow(/KILN_STORAGE_URL/);
    expect(() => s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://b12', KILN_S3_ACCESS_KEY_ID: 'AK' })).toThrow(/KILN_S3_SECRET_ACCESS_KEY/);
    expect(() => s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://b12', KILN_S3_ENDPOINT: 'minio:9000' })).toThrow(/KILN_S3_ENDPOINT/);
    expect(() => s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://b12', KILN_S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(/KILN_S3_FORCE_PATH_STYLE/);
    expect(() => s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://b12', KILN_S3_CHECKSUMS: 'crc32' })).toThrow(/KILN_S3_CHECKSUMS/);
    // SigV4 presigned URLs cannot last more than 7 days.
    expect(() => s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://b12', KILN_S3_REDIRECT_SECONDS: '604801' })).toThrow(/KILN_S3_REDIRECT_SECONDS/);
    expect(() => s3ConfigFromEnv({ KILN_STORAGE_URL: 's3://b12', KILN_S3_REDIRECT_SECONDS: '5m' })).toThrow(/KILN_S3_REDIRECT_SECONDS/);
  });
});
