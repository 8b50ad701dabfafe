// kiln's operator API (/admin/tenants/...): the bodies it takes, their limits, and the shapes it answers with. The
// server validates with these schemas, `kiln tenant|key|pack` applies the same limits, openapi.json documents them
// (operator-openapi.ts). Not Kling's API: Kling's console manages its accounts; these endpoints are kiln's own.

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { KlingError } from './errors.ts';
import type { PackType } from './family.ts';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { describeSchemaError, fieldName } from './validate.ts';

/** Tenant and key names: they appear in URLs, CLI arguments and billing rows (api_key_name). */
export const OPERATOR_NAME_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';
const nameRule = 'letters, digits, . _ - (1 to 64 characters)';

/** Concurrent slots per pack type a tenant may hold (Kling's accounts range from a handful to a few hundred). */
export const CONCURRENCY_LIMITS = { min: 1, max: 10_000 } as const;
/** Units one resource pack may hold. */
export const PACK_UNITS_LIMITS = { min: 0.01, max: 1_000_000_000 } as const;
export const PACK_TYPES: readonly PackType[] = ['video', 'image', 'try-on'];
export const KEY_KINDS = ['api_key', 'access_key'] as const;
/** Where a tenant's tasks are made: the simulator (no credits spent) or an upstream Kling account (the relay). */
export const ENGINE_NAMES = ['simulator', 'relay'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
/**
 * The simulator's timing profiles (how long a simulated task queues and "generates"): instant (no wait), fast (a
 * short queue, the server's default) and realistic (waits shaped like Kling's). The operator sets one per tenant; a
 * tenant may set its own (PUT /simulator/settings).
 */
export const TIMING_PROFILES = ['instant', 'fast', 'realistic'] as const;
export type TimingProfile = (typeof TIMING_PROFILES)[number];
/** What each profile means to whoever picks one (the server's timing.ts has the figures). */
export const TIMING_PROFILE_MEANINGS: Record<TimingProfile, string> = {
  instant: 'no waiting: a task ends as soon as its media is rendered',
  fast: 'a short queue, then the render: a 5 s video ends in a second or two',
  realistic: "waits shaped like Kling's: minutes for videos, tens of seconds for images",
};
export const isTimingProfile = (value: unknown): value is TimingProfile =>
  typeof value === 'string' && (TIMING_PROFILES as readonly string[]).includes(value);
export type KeyKindName = (typeof KEY_KINDS)[number];

const Name = (description: string) => Type.String({ pattern: OPERATOR_NAME_PATTERN, rule: `must be ${nameRule}`, description });
const Slots = Type.Integer({ minimum: CONCURRENCY_LIMITS.min, maximum: CONCURRENCY_LIMITS.max });

export const ConcurrencySchema = Type.Object({
  video: Type.Optional(Slots),
  image: Type.Optional(Type.Integer({ ...Slots, description: 'an image task takes n slots' })),
  'try-on': Type.Optional(Slots),
}, { additionalProperties: false, description: 'concurrent slots per resource-pack type (1303 beyond them)' });

const Timing = Type.Union(TIMING_PROFILES.map((t) => Type.Literal(t)), {
  rule: `must be one of ${TIMING_PROFILES.join(', ')}`,
  description: "the simulator's timing profile for the tenant: instant, fast or realistic",
});
const TimingOrDefault = Type.Union([Timing, Type.Null()], { rule: `must be one of ${TIMING_PROFILES.join(', ')}, or null for the server's`, description: "a timing profile, or null for the server's" });
const Engine = Type.Union(ENGINE_NAMES.map((e) => Type.Literal(e)), {
  rule: `must be one of ${ENGINE_NAMES.join(', ')}`,
  description: 'where the tenant\'s new tasks are made: simulator (default) or relay (an upstream Kling account)',
});

export const TenantCreateSchema = Type.Object({
  name: Name('the tenant name (unique)'),
  concurrency: Type.Optional(ConcurrencySchema),
  timing: Type.Optional(Timing),
  engine: Type.Optional(Engine),
  signed_callbacks: Type.Optional(Type.Boolean({ description: 'sign callbacks with a webhook secret (default true)' })),
}, { additionalProperties: false });

export const TenantUpdateSchema = Type.Object({
  concurrency: Type.Optional(ConcurrencySchema),
  timing: Type.Optional(TimingOrDefault),
  engine: Type.Optional(Engine),
}, { additionalProperties: false });

/** What a tenant may change about its own simulated tasks (PUT /simulator/settings). */
export const SimulatorSettingsSchema = Type.Object({
  timing: TimingOrDefault,
}, { additionalProperties: false });

/** A tenant's simulator settings as GET /simulator/settings shows them. */
export interface SimulatorSettingsView {
  /** The tenant's own profile; null follows the server's. */
  timing: TimingProfile | null;
  /** The profile its next simulated task gets. */
  effective_timing: TimingProfile;
  /** The server's profile, for tenants that have none. */
  server_timing: TimingProfile;
  /** Where the tenant's new tasks are made: timing applies to the simulator only. */
  engine: EngineName;
}

export const KeyCreateSchema = Type.Object({
  name: Name('the key name (unique among the tenant\'s live keys)'),
  type: Type.Optional(Type.Union(KEY_KINDS.map((k) => Type.Literal(k)), {
    rule: `must be one of ${KEY_KINDS.join(', ')}`,
    description: 'api_key (a Bearer token) or access_key (an access-key/secret-key pair that signs JWTs); default api_key',
  })),
}, { additionalProperties: false });

export const PackCreateSchema = Type.Object({
  type: Type.Union(PACK_TYPES.map((t) => Type.Literal(t)), { rule: `must be one of ${PACK_TYPES.join(', ')}` }),
  units: Type.Number({ minimum: PACK_UNITS_LIMITS.min, maximum: PACK_UNITS_LIMITS.max }),
  expires_at: Type.Optional(Type.Integer({ minimum: 0, description: 'Unix milliseconds; default one year from now' })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
}, { additionalProperties: false });

export type TenantCreateBody = Static<typeof TenantCreateSchema>;
export type TenantUpdateBody = Static<typeof TenantUpdateSchema>;
export type KeyCreateBody = Static<typeof KeyCreateSchema>;
export type PackCreateBody = Static<typeof PackCreateSchema>;

const checks = new Map<TSchema, TypeCheck<TSchema>>();

/** Checks an operator request body: 1201 naming the first field that breaks its schema. */
export function validateOperatorBody<S extends TSchema>(schema: S, body: unknown): Static<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new KlingError(1200, 'request body must be a JSON object');
  let check = checks.get(schema);
  if (!check) checks.set(schema, (check = TypeCompiler.Compile(schema)));
  if (!check.Check(body)) {
    const first = check.Errors(body).First();
    // Unknown fields are refused: a misspelt `concurrency` would otherwise be ignored while the operator thinks it set.
    const unknown = first?.type === ValueErrorType.ObjectAdditionalProperties ? `${fieldName(first.path)} is not a known field` : undefined;
    throw new KlingError(1201, unknown ?? (first ? describeSchemaError(first) : 'invalid request body'));
  }
  return body as Static<S>;
}

/** A tenant as the operator API shows it (no secret). */
export interface TenantView {
  id: string;
  name: string;
  created_at: number;
  concurrency: Record<PackType, number>;
  /** The simulator timing profile; null follows the server's. */
  timing: string | null;
  /** Where the tenant's new tasks are made. */
  engine: EngineName;
  signed_callbacks: boolean;
}

/** A key as listings show it: never the secret or the API key. */
export interface KeyView {
  name: string;
  type: KeyKindName;
  /** The access key of an AK/SK pair (it names the key in JWTs, so it is no secret); null for an API key. */
  access_key: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface PackView {
  id: string;
  name: string;
  type: PackType;
  total_units: number;
  remaining_units: number;
  effective_time: number;
  invalid_time: number;
  status: 'toBeOnline' | 'online' | 'expired' | 'runOut';
}

export interface TenantDetail extends TenantView {
  keys: KeyView[];
  packs: PackView[];
  /** Slots its unfinished tasks hold now, per pack type. */
  slots_in_use: Record<PackType, number>;
}
