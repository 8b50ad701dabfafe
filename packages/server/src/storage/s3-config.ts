// Reads the S3-compatible storage settings from the environment: KILN_STORAGE_URL=s3://bucket/prefix and the
// KILN_S3_* variables. Anything malformed stops kiln at start with a message naming the variable.

export interface S3StorageConfig {
  bucket: string;
  /** Prepended to every key with a slash; '' for the bucket's root. */
  prefix: string;
  /** An S3-compatible endpoint (MinIO, R2, Ceph…); AWS itself when absent. */
  endpoint?: string;
  region: string;
  /** Static credentials; when absent the AWS SDK's default chain (environment, profile, instance role) is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  /**
   * 'when_supported' is the AWS SDK's default: CRC32 checksums on every upload and download. Many non-AWS stores
   * reject or do not return those, so 'when_required' sends checksums only where an operation demands one.
   */
  checksums: 'when_required' | 'when_supported';
  /**
   * When set, a media request that passes kiln's signature check is answered with a redirect to a presigned URL
   * valid this many seconds, and the client downloads from the bucket; otherwise kiln streams the object.
   */
  redirectSeconds?: number;
}

type Env = Record<string, string | undefined>;

/** The S3 settings, or undefined when KILN_STORAGE_URL is unset (local files under the data directory). */
export function s3ConfigFromEnv(env: Env): S3StorageConfig | undefined {
  const raw = env.KILN_STORAGE_URL?.trim();
  if (!raw) return undefined;
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(raw);
  if (!match) throw new Error(`KILN_STORAGE_URL must look like s3://bucket or s3://bucket/prefix, got ${JSON.stringify(raw)}`);
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  const accessKeyId = env.KILN_S3_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.KILN_S3_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId !== !secretAccessKey) {
    throw new Error('KILN_S3_ACCESS_KEY_ID and KILN_S3_SECRET_ACCESS_KEY must be set together');
  }
  const endpoint = env.KILN_S3_ENDPOINT?.trim() || undefined;
  if (endpoint && !/^https?:\/\/[^\s]+$/.test(endpoint)) {
    throw new Error(`KILN_S3_ENDPOINT must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  return {
    bucket: match[1]!,
    prefix,
    endpoint,
    // S3-compatible stores mostly ignore the region but the SigV4 signature needs one; us-east-1 is their usual default.
    region: env.KILN_S3_REGION?.trim() || 'us-east-1',
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: flag(env, 'KILN_S3_FORCE_PATH_STYLE', false),
    checksums: checksums(env, endpoint),
    redirectSeconds: redirectSeconds(env.KILN_S3_REDIRECT_SECONDS),
  };
}

// SigV4 presigned URLs live at most 7 days.
function redirectSeconds(value: string | undefined): number | undefined {
  if (!value?.trim()) return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 604_800) {
    throw new Error(`KILN_S3_REDIRECT_SECONDS must be a whole number of seconds from 1 to 604800, got ${JSON.stringify(value)}`);
  }
  return seconds;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (!value) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
}

// A store reached through KILN_S3_ENDPOINT is not AWS, and most of those reject the SDK's default CRC32
// checksums; AWS itself keeps the SDK's default. KILN_S3_CHECKSUMS overrides either way.
function checksums(env: Env, endpoint: string | undefined): S3StorageConfig['checksums'] {
  const value = env.KILN_S3_CHECKSUMS?.trim().toLowerCase();
  if (!value) return endpoint ? 'when_required' : 'when_supported';
  if (value === 'when_required' || value === 'when_supported') return value;
  throw new Error(`KILN_S3_CHECKSUMS must be when_required or when_supported, got ${JSON.stringify(env.KILN_S3_CHECKSUMS)}`);
}
