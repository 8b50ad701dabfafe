// kiln's operator API of upstreams (/admin/upstreams, `kiln upstream`): the Kling accounts — Kling itself or a
// reseller — the relay engine sends tasks to. The bodies it takes, their limits, and the shape it answers with (never
// a secret: only whether one is set). Not Kling's API: these endpoints are kiln's own.

import { Type, type Static } from '@sinclair/typebox';
import { ConcurrencySchema, OPERATOR_NAME_PATTERN } from './operator.ts';
import type { PackType } from './family.ts';

/** How an upstream's paths look (spec/providers.md): `/v1/...`, `/kling/v1/...`, `/v1/ai/{endpointPath}/kling/...`. */
export const UPSTREAM_PATH_STYLES = ['official', 'kling', 'endpoint'] as const;
export type UpstreamPathStyle = (typeof UPSTREAM_PATH_STYLES)[number];
/** What a client gets as result URLs: kiln's copies (archive) or the upstream's own (passthrough). */
export const UPSTREAM_RESULT_MODES = ['archive', 'passthrough'] as const;

/** An upstream account's circuit breaker, as operators see it (UpstreamView.health). */
export const UPSTREAM_HEALTH_STATES = ['healthy', 'failing', 'open', 'probing'] as const;
export type UpstreamHealthState = (typeof UPSTREAM_HEALTH_STATES)[number];

export interface UpstreamHealthView {
  state: UpstreamHealthState;
  failures: number;
  open_until: number | null;
  reason: string | null;
}
export type UpstreamResultMode = (typeof UPSTREAM_RESULT_MODES)[number];
/** Routing order: the highest priority that carries a task gets it. */
export const UPSTREAM_PRIORITY_LIMITS = { min: -1000, max: 1000 } as const;

const Secret = (description: string) => Type.String({ minLength: 1, maxLength: 512, description });
const PathStyle = Type.Union(UPSTREAM_PATH_STYLES.map((s) => Type.Literal(s)), {
  rule: `must be one of ${UPSTREAM_PATH_STYLES.join(', ')}`,
  description: 'official = /v1/... (API key or AK/SK), kling = /kling/v1/... (Bearer key), endpoint = /v1/ai/{endpointPath}/kling/...',
});
const Results = Type.Union(UPSTREAM_RESULT_MODES.map((s) => Type.Literal(s)), {
  rule: `must be one of ${UPSTREAM_RESULT_MODES.join(', ')}`,
  description: "archive (kiln keeps the outputs, the default) or passthrough (the upstream's URLs)",
});
const EndpointPath = Type.String({ pattern: '^[A-Za-z0-9_.~/-]{1,200}$', rule: 'must be a URL path segment (letters, digits, / . _ ~ -)' });
const WebhookSecret = Type.String({ pattern: '^whsec_[A-Za-z0-9+/=]{8,200}$', rule: 'must be whsec_ followed by Base64', description: "the upstream's Standard Webhooks secret" });
const Names = (description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200, description });

const fields = {
  base_url: Type.String({ pattern: '^https?://[^\\s]+$', rule: 'must be an http:// or https:// URL', description: "the upstream's base URL" }),
  path_style: Type.Optional(PathStyle),
  api_key: Type.Optional(Secret('a Bearer API key (or access_key and secret_key)')),
  access_key: Type.Optional(Secret('the access key of an AK/SK pair')),
  secret_key: Type.Optional(Secret('the secret key of an AK/SK pair')),
  endpoint_path: Type.Optional(EndpointPath),
  endpoint_paths: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 100 }), EndpointPath, {
    description: 'the endpoint path per model (path style endpoint); endpoint_path for the others',
  })),
  concurrency: Type.Optional(ConcurrencySchema),
  models: Type.Optional(Names('the models it carries (model_name, or a new-standard model id); all when empty')),
  families: Type.Optional(Names('the families it carries (text2video, text-to-video/kling-3.0-turbo, ...); all when empty')),
  priority: Type.Optional(Type.Integer({ minimum: UPSTREAM_PRIORITY_LIMITS.min, maximum: UPSTREAM_PRIORITY_LIMITS.max, description: 'higher goes first; default 0' })),
  webhook_secret: Type.Optional(WebhookSecret),
  results: Type.Optional(Results),
};

export const UpstreamCreateSchema = Type.Object({
  name: Type.String({ pattern: OPERATOR_NAME_PATTERN, rule: 'must be letters, digits, . _ - (1 to 64 characters)', description: 'the upstream name (unique)' }),
  ...fields,
}, { additionalProperties: false });

/** A change: fields given replace the stored ones; null clears an optional one. */
export const UpstreamUpdateSchema = Type.Object({
  ...fields,
  base_url: Type.Optional(fields.base_url),
  endpoint_path: Type.Optional(Type.Union([EndpointPath, Type.Null()], { rule: 'must be a URL path segment, or null to clear it' })),
  webhook_secret: Type.Optional(Type.Union([WebhookSecret, Type.Null()], { rule: 'must be whsec_ followed by Base64, or null to clear it' })),
}, { additionalProperties: false });

export type UpstreamCreateBody = Static<typeof UpstreamCreateSchema>;
export type UpstreamUpdateBody = Static<typeof UpstreamUpdateSchema>;

/** An upstream as listings show it: whether each secret is set, never the secret. */
export interface UpstreamView {
  name: string;
  base_url: string;
  path_style: UpstreamPathStyle;
  endpoint_path: string | null;
  endpoint_paths: Record<string, string>;
  concurrency: Partial<Record<PackType, number>>;
  models: string[];
  families: string[];
  priority: number;
  results: UpstreamResultMode;
  /** The access key of an AK/SK pair names the key in JWTs, so it is no secret; null with an API key. */
  access_key: string | null;
  api_key_set: boolean;
  secret_key_set: boolean;
  webhook_secret_set: boolean;
  created_at: number;
  updated_at: number;
  /**
   * The limits kiln keeps to now: `concurrency`, or below it for a while after the upstream answered 1303 (or 1302)
   * with room left by that figure (one slot back a minute); a pack type the upstream refused without a figure too.
   */
  concurrency_now: Partial<Record<PackType, number>>;
  /**
   * The account's circuit breaker: `open` takes no requests until `open_until` (an outage, or an account that needs a
   * person: packs used up, a refused key); `probing` takes requests again and the next answer closes or reopens it;
   * `failing` has had `failures` in a row, not yet enough to open. `reason` says what went wrong last.
   */
  health: UpstreamHealthView;
}
