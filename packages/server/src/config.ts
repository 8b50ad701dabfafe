// Server configuration from the environment, with the defaults of `npm start` on a developer machine.

import path from 'node:path';
import type { DestinationStream } from 'pino';
import { RESULT_LIFETIME_DAYS } from '@kiln/contract';
import { isTimingProfile, type TimingProfile } from '@kiln/contract';
import { upstreamFromEnv, type UpstreamConfig } from './engines/relay/upstream.ts';
import { s3ConfigFromEnv, type S3StorageConfig } from './storage/s3-config.ts';
import { parseCorsOrigins } from './http/cors.ts';
import type { BreakerSettings } from './engines/relay/breaker.ts';

export interface CallbackPolicy {
  /** First retry delay; each further retry doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Retrying stops once the first attempt is this old; the delivery is then recorded as failed. */
  giveUpAfterMs: number;
  timeoutMs: number;
}

export interface KilnConfig {
  port: number;
  host: string;
  dataDir: string;
  /**
   * postgres://… (KILN_DATABASE_URL): the store, queue and signals on a shared PostgreSQL, so any number of processes
   * can serve; the embedded SQLite file under the data directory (one process) when absent.
   */
  databaseUrl?: string;
  /** Connections to PostgreSQL one process keeps at most (KILN_DATABASE_POOL_SIZE). */
  databasePoolSize?: number;
  /** What this process does: all (API and workers, the default), api (no workers) or worker (workers, no Kling API). */
  role?: ServerRole;
  /** Base of the URLs kiln hands out (media); defaults to http://127.0.0.1:<port>. */
  publicUrl?: string;
  /**
   * Callbacks and media fetches to loopback/private addresses. Default: allowed only while kiln listens on loopback
   * (a developer machine); a server reachable from the network fetches none unless KILN_ALLOW_PRIVATE_URLS says so.
   */
  allowPrivateUrls: boolean;
  /**
   * KILN_TRUST_PROXY: off (the default), on (trust every hop) or the proxies' addresses (comma-separated IPs or
   * CIDRs). When on, X-Forwarded-Proto/Host make the URLs a request is answered with (unless KILN_PUBLIC_URL is
   * set) and X-Forwarded-For the client address its log line names.
   */
  trustProxy?: boolean | string;
  /** json: one JSON object per line (for collectors); pretty: one readable line (a terminal). */
  logFormat?: LogFormat;
  /** Results and inputs older than this many days are purged, like Kling's (KILN_RETENTION_DAYS; 0 keeps all). */
  retentionDays?: number;
  /** Run the job workers in this process (off for an API-only process: role api, or KILN_WORKERS=false). */
  workers: boolean;
  renderConcurrency: number;
  callbackConcurrency: number;
  callbacks: CallbackPolicy;
  bodyLimitBytes: number;
  /** Deadlines for what clients send, so slow or stalled connections cannot pile up (defaults when absent). */
  timeouts?: ServerTimeouts;
  logLevel: string;
  /** Where log lines go (JSON, one per line); stdout when not set. */
  logDestination?: DestinationStream;
  /** A token that may read GET /metrics besides the admin token, for a scraper that should not hold the admin one. */
  metricsToken?: string;
  /** The simulator's timing profile for tenants that have none of their own. */
  timing: TimingProfile;
  /** The Kling account new tasks are relayed to (KILN_UPSTREAM_URL ...); the simulator makes them when absent. */
  upstream?: UpstreamConfig;
  /**
   * The key that encrypts upstream secrets at rest (KILN_MASTER_KEY: 32 bytes, hex or Base64); generated into the
   * data directory on first use when absent. Processes on several machines sharing one store need the same one.
   */
  masterKey?: string;
  /** How long the relay waits before asking an upstream again, after that many answers that changed nothing. */
  relayPollDelayMs?: (polls: number) => number;
  /**
   * How long a relayed task may stay unfinished upstream before kiln takes it for lost and fails it, unbilled
   * (KILN_RELAY_GIVE_UP_HOURS, 24 by default).
   */
  relayGiveUpAfterMs?: number;
  /** The least time between two reads of an upstream family's task list (batched polling); 5 s by default. */
  relayListIntervalMs?: number;
  /** The relay's circuit breaker per upstream account (engines/relay/breaker.ts); its defaults otherwise. */
  relayBreaker?: Partial<BreakerSettings>;
  /** Token for the operator endpoints (/admin/...); generated on first start when not set. */
  adminToken?: string;
  /** Credentials of the default tenant, when the operator sets them. */
  defaultTenant: { apiKey?: string; accessKey?: string; secretKey?: string; webhookSecret?: string };
  /** An S3-compatible bucket for media (KILN_STORAGE_URL); files under the data directory when absent. */
  storage?: S3StorageConfig;
  /** Web origins allowed to call kiln from a browser (KILN_CORS_ORIGINS; `*` for any); none when empty. */
  corsOrigins?: string[];
}

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const SERVER_ROLES = ['all', 'api', 'worker'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

export interface ServerTimeouts {
  /** The request line and headers must have arrived within this time. */
  headersMs: number;
  /** The whole request, body included, must have arrived within this time. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this time. */
  keepAliveMs: number;
  /** How often Node checks the two deadlines above (Node's default: 30 s; tests shorten it). */
  checkIntervalMs?: number;
}

/**
 * Headers are small: 60 s is Node's own default and ample on any link. A body may be a 32 MB request of Base64
 * images: 5 minutes lets it arrive at about 1 Mbit/s, and still cuts a body that trickles in a byte at a time.
 * Keep-alive: 72 s, longer than the 60 s idle timeout of common load balancers, so the balancer closes first and
 * never sends a request onto a connection kiln is closing.
 */
export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 60_000, requestMs: 5 * 60_000, keepAliveMs: 72_000 };

export const DEFAULT_CALLBACK_POLICY: CallbackPolicy = {
  baseDelayMs: 5_000,
  maxDelayMs: 10 * 60_000,
  giveUpAfterMs: 75 * 60_000,
  timeoutMs: 10_000,
};

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

function int(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env, stdoutIsTTY = process.stdout.isTTY === true): KilnConfig {
  const role = roleFrom(env.KILN_ROLE);
  // Listening on another address than loopback is the operator's explicit choice (HOST=0.0.0.0).
  const host = env.HOST || '127.0.0.1';
  return {
    port: int(env.PORT, 8080),
    host,
    dataDir: path.resolve(env.KILN_DATA_DIR || '.kiln'),
    databaseUrl: env.KILN_DATABASE_URL || undefined,
    databasePoolSize: int(env.KILN_DATABASE_POOL_SIZE, 10) || 10,
    role,
    publicUrl: env.KILN_PUBLIC_URL || undefined,
    allowPrivateUrls: flag(env.KILN_ALLOW_PRIVATE_URLS, isLoopbackHost(host)),
    trustProxy: trustProxyFrom(env.KILN_TRUST_PROXY),
    logFormat: logFormatFrom(env.KILN_LOG_FORMAT, stdoutIsTTY),
    retentionDays: int(env.KILN_RETENTION_DAYS, RESULT_LIFETIME_DAYS),
    workers: role !== 'api' && flag(env.KILN_WORKERS, true),
    renderConcurrency: int(env.KILN_RENDER_CONCURRENCY, 2),
    callbackConcurrency: int(env.KILN_CALLBACK_CONCURRENCY, 8),
    callbacks: DEFAULT_CALLBACK_POLICY,
    bodyLimitBytes: int(env.KILN_BODY_LIMIT_BYTES, 32 * 1024 * 1024),
    timeouts: {
      headersMs: int(env.KILN_HEADERS_TIMEOUT_MS, DEFAULT_SERVER_TIMEOUTS.headersMs),
      requestMs: int(env.KILN_REQUEST_TIMEOUT_MS, DEFAULT_SERVER_TIMEOUTS.requestMs),
      keepAliveMs: int(env.KILN_KEEP_ALIVE_TIMEOUT_MS, DEFAULT_SERVER_TIMEOUTS.keepAliveMs),
    },
    logLevel: env.KILN_LOG_LEVEL || 'info',
    timing: timingFrom(env.KILN_TIMING),
    upstream: upstreamFromEnv(env),
    relayGiveUpAfterMs: int(env.KILN_RELAY_GIVE_UP_HOURS, 24) * 3_600_000,
    masterKey: env.KILN_MASTER_KEY || undefined,
    adminToken: env.KILN_ADMIN_TOKEN || undefined,
    storage: s3ConfigFromEnv(env),
    corsOrigins: parseCorsOrigins(env.KILN_CORS_ORIGINS),
    metricsToken: env.KILN_METRICS_TOKEN || undefined,
    defaultTenant: {
      apiKey: env.KILN_API_KEY || undefined,
      accessKey: env.KILN_ACCESS_KEY || undefined,
      secretKey: env.KILN_SECRET_KEY || undefined,
      webhookSecret: env.KILN_WEBHOOK_SECRET || undefined,
    },
  };
}

/** localhost, 127.0.0.0/8 and ::1: only processes of this machine can reach a server listening there. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function trustProxyFrom(value: string | undefined): boolean | string {
  if (value === undefined || value.trim() === '') return false;
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  // Addresses of the proxies (Fastify's proxy-addr syntax: IPs and CIDRs, comma-separated).
  return value;
}

function logFormatFrom(value: string | undefined, stdoutIsTTY: boolean): LogFormat {
  if (!value) return stdoutIsTTY ? 'pretty' : 'json';
  if (!(LOG_FORMATS as readonly string[]).includes(value)) throw new Error(`KILN_LOG_FORMAT must be json or pretty (got '${value}')`);
  return value as LogFormat;
}

function roleFrom(value: string | undefined): ServerRole {
  if (!value) return 'all';
  if (!(SERVER_ROLES as readonly string[]).includes(value)) throw new Error(`KILN_ROLE must be all, api or worker (got '${value}')`);
  return value as ServerRole;
}

function timingFrom(value: string | undefined): TimingProfile {
  if (!value) return 'fast';
  if (!isTimingProfile(value)) throw new Error(`KILN_TIMING must be instant, fast or realistic (got '${value}')`);
  return value;
}
