// An upstream: a Kling API account kiln relays tasks to — Kling itself or a reseller — reached with the SDK, so the
// relay speaks exactly what kiln's own clients speak (path styles, JWT signing and renewal, envelope, error classes).
//
// Path styles (spec/providers.md): `official` = /v1/... (API key, or AK/SK signed into JWTs); `kling` = /kling/v1/...
// (Bearer key); `endpoint` = /v1/ai/{endpointPath}/kling/... (Bearer key).

import { PACK_TYPES, UPSTREAM_PATH_STYLES, UPSTREAM_RESULT_MODES, type PackType, type UpstreamPathStyle, type UpstreamResultMode } from '@kiln/contract';
import { Kling, type Provider } from '@kiln/sdk';
import type { UpstreamHealth } from './breaker.ts';
import type { LoweredLimits } from './pool-limit.ts';
import { upstreamFetch } from './upstream-fetch.ts';

export type PathStyle = UpstreamPathStyle;
export const PATH_STYLES: readonly PathStyle[] = UPSTREAM_PATH_STYLES;

export interface UpstreamConfig {
  name: string;
  baseUrl: string;
  pathStyle: PathStyle;
  apiKey?: string;
  accessKey?: string;
  secretKey?: string;
  /** The `{endpointPath}` of the `endpoint` path style (for models endpointPaths does not name). */
  endpointPath?: string;
  /** The `{endpointPath}` per model, for resellers with one endpoint per model. */
  endpointPaths?: Record<string, string>;
  /** The models and families it carries; all when absent or empty. */
  models?: string[];
  families?: string[];
  /** Routing order: higher first (default 0). */
  priority?: number;
  webhookSecret?: string;
  results?: UpstreamResultMode;
  /** When the registry entry last changed (ms): a changed upstream gets a new client. */
  updatedAt?: number;
  /**
   * The account's concurrency per pack type (its resource packs' limits): kiln sends no more at once, and the rest
   * wait their turn in kiln. A pack type without a figure is sent at once, the upstream's 1303 answered by waiting.
   */
  concurrency?: Partial<Record<PackType, number>>;
  /** The account's breaker (breaker.ts), as last read from the registry; healthy when absent. */
  health?: UpstreamHealth;
  /** Limits the upstream's own 1303s set (pool-limit.ts), below `concurrency` for a while. */
  lowered?: LoweredLimits;
}

/** `video=5,image=10,try-on=2` → the upstream's concurrency per pack type. */
export function parseConcurrency(value: string): Partial<Record<PackType, number>> {
  const out: Partial<Record<PackType, number>> = {};
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [pack, n] = part.split('=');
    const slots = Number(n);
    if (!(PACK_TYPES as readonly string[]).includes(pack) || !Number.isInteger(slots) || slots < 1) {
      throw new Error(`KILN_UPSTREAM_CONCURRENCY must be type=n pairs such as video=5,image=10,try-on=2 (got '${part}')`);
    }
    out[pack as PackType] = slots;
  }
  return out;
}

/**
 * The units an upstream says it billed (`final_unit_deduction`, a number or a decimal string), for a task or a call;
 * undefined when it gives none (resellers often don't: kiln's own price applies then), or nothing readable.
 */
export function reportedUnits(value: unknown): number | undefined {
  const billed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(billed) && billed >= 0 ? billed : undefined;
}

/** The `{endpointPath}` a task of this model goes to: its own, or the upstream's default. */
export function endpointPathFor(config: UpstreamConfig, model: string | null | undefined): string {
  return (model ? config.endpointPaths?.[model] : undefined) ?? config.endpointPath ?? '';
}

function provider(config: UpstreamConfig, endpointPath: string): Provider {
  switch (config.pathStyle) {
    case 'official':
      return { kind: 'kling' };
    case 'kling':
      return { kind: 'kling-prefix' };
    case 'endpoint':
      return { kind: 'ai-endpoint', endpoint: endpointPath };
  }
}

/**
 * The SDK client of an upstream. kiln validated the request already and chooses the upstream's external_task_id
 * itself, so the client does neither. It retries once, soon, and waits out no long Retry-After: that covers a blip
 * (a kept-alive connection closed under a request), while the relay itself handles an account that stays down — a
 * task is asked again at growing intervals or waits in kiln's queue, a call goes to another account that carries it
 * (or answers 5000/5001 at once), and the breaker counts each failure. The SDK's own policy (two retries, 0.5 s
 * apart and growing) held a create to an account that is down 1.0 s before its task was queued or moved on; this
 * one, 0.1 s. As always in the SDK, a POST is re-sent only when it never reached the server.
 */
export function upstreamClient(config: UpstreamConfig, fetchFn?: typeof fetch, endpointPath = endpointPathFor(config, undefined)): Kling {
  return new Kling({
    provider: provider(config, endpointPath),
    baseUrl: config.baseUrl,
    ...(config.apiKey ? { apiKey: config.apiKey } : { accessKey: config.accessKey, secretKey: config.secretKey }),
    validation: 'off',
    externalTaskId: false,
    timeoutMs: 30_000,
    maxRetries: 1,
    retry: { baseDelayMs: 100, maxDelayMs: 100, maxRetryAfterMs: 1_000 },
    fetch: fetchFn ?? upstreamFetch,
    env: {},
  });
}

/**
 * The quick-start upstream from the environment: KILN_UPSTREAM_URL with KILN_UPSTREAM_API_KEY (or
 * KILN_UPSTREAM_ACCESS_KEY and KILN_UPSTREAM_SECRET_KEY); KILN_UPSTREAM_PATH_STYLE and KILN_UPSTREAM_ENDPOINT_PATH
 * for resellers; KILN_UPSTREAM_WEBHOOK_SECRET to check the signatures of its callbacks; KILN_UPSTREAM_RESULTS=passthrough to
 * hand its result URLs through instead of keeping copies. Undefined when KILN_UPSTREAM_URL is not set.
 */
export function upstreamFromEnv(env: Record<string, string | undefined>): UpstreamConfig | undefined {
  const baseUrl = env.KILN_UPSTREAM_URL;
  if (!baseUrl) return undefined;
  const pathStyle = (env.KILN_UPSTREAM_PATH_STYLE || 'official') as PathStyle;
  if (!PATH_STYLES.includes(pathStyle)) throw new Error(`KILN_UPSTREAM_PATH_STYLE must be one of ${PATH_STYLES.join(', ')} (got '${pathStyle}')`);
  const config: UpstreamConfig = {
    name: 'default',
    baseUrl,
    pathStyle,
    apiKey: env.KILN_UPSTREAM_API_KEY || undefined,
    accessKey: env.KILN_UPSTREAM_ACCESS_KEY || undefined,
    secretKey: env.KILN_UPSTREAM_SECRET_KEY || undefined,
    webhookSecret: env.KILN_UPSTREAM_WEBHOOK_SECRET || undefined,
    endpointPath: env.KILN_UPSTREAM_ENDPOINT_PATH || undefined,
    concurrency: env.KILN_UPSTREAM_CONCURRENCY ? parseConcurrency(env.KILN_UPSTREAM_CONCURRENCY) : undefined,
    results: (env.KILN_UPSTREAM_RESULTS || undefined) as UpstreamResultMode | undefined,
  };
  if (config.results && !UPSTREAM_RESULT_MODES.includes(config.results)) {
    throw new Error(`KILN_UPSTREAM_RESULTS must be one of ${UPSTREAM_RESULT_MODES.join(', ')} (got '${config.results}')`);
  }
  if (!config.apiKey && !(config.accessKey && config.secretKey)) {
    throw new Error('KILN_UPSTREAM_URL needs KILN_UPSTREAM_API_KEY, or KILN_UPSTREAM_ACCESS_KEY and KILN_UPSTREAM_SECRET_KEY');
  }
  if (pathStyle === 'endpoint' && !config.endpointPath) throw new Error('KILN_UPSTREAM_PATH_STYLE=endpoint needs KILN_UPSTREAM_ENDPOINT_PATH');
  return config;
}
