// Upstream management: what `/admin/upstreams/...` and `kiln upstream` do, in one place, so both check and answer
// alike (1201 naming the field, 1203 for an unknown upstream). Secrets are sealed before they reach the store and
// opened only for the relay (upstreamConfigs); views say whether each is set, never what it is.

import {
  familyByName, KlingError, UpstreamCreateSchema, UpstreamUpdateSchema, validateOperatorBody,
  type PackType, type UpstreamPathStyle, type UpstreamResultMode, type UpstreamUpdateBody, type UpstreamView,
} from '@kiln/contract';
import { healthView, type UpstreamHealth } from '../engines/relay/breaker.ts';
import { effectiveLimits, type LoweredLimits } from '../engines/relay/pool-limit.ts';
import type { UpstreamConfig } from '../engines/relay/upstream.ts';
import type { Db } from '../store/open.ts';
import type { UpstreamHealthColumns } from '../store/schema.ts';
import type { SecretBox } from '../store/secret-box.ts';
import {
  deleteUpstream, insertUpstream, listUpstreamRows, updateUpstream, upstreamHasUnfinishedTasks, upstreamRow, type UpstreamRow,
} from '../store/upstreams.ts';

const SECRETS = ['api_key', 'secret_key', 'webhook_secret'] as const;
type SecretField = (typeof SECRETS)[number];
const place = (name: string, field: SecretField) => `upstream:${name}:${field}`;

/** The breaker state kept on the row, as the relay reads it. */
export function healthOf(row: UpstreamRow): UpstreamHealth {
  return {
    failures: Number(row.health_failures),
    openUntil: row.health_open_until === null ? null : Number(row.health_open_until),
    cooldownMs: Number(row.health_cooldown_ms),
    reason: row.health_reason,
  };
}

export function healthColumns(health: UpstreamHealth): UpstreamHealthColumns {
  return {
    health_failures: health.failures, health_open_until: health.openUntil, health_cooldown_ms: health.cooldownMs, health_reason: health.reason,
  };
}

export function upstreamView(row: UpstreamRow, now = Date.now()): UpstreamView {
  const concurrency = JSON.parse(row.concurrency_json) as Partial<Record<PackType, number>>;
  return {
    name: row.name,
    base_url: row.base_url,
    path_style: row.path_style as UpstreamPathStyle,
    endpoint_path: row.endpoint_path,
    endpoint_paths: JSON.parse(row.endpoint_paths_json),
    concurrency,
    models: JSON.parse(row.models_json),
    families: JSON.parse(row.families_json),
    priority: Number(row.priority),
    results: row.results as UpstreamResultMode,
    access_key: row.access_key,
    api_key_set: row.api_key_enc !== null,
    secret_key_set: row.secret_key_enc !== null,
    webhook_secret_set: row.webhook_secret_enc !== null,
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    concurrency_now: effectiveLimits(concurrency, JSON.parse(row.lowered_limits_json), now),
    health: healthView(healthOf(row), now),
  };
}

async function requireUpstream(db: Db, name: string): Promise<UpstreamRow> {
  const row = await upstreamRow(db, name);
  if (!row) throw new KlingError(1203, `no upstream named '${name}'`);
  return row;
}

export async function listUpstreamViews(db: Db): Promise<UpstreamView[]> {
  const now = Date.now();
  return (await listUpstreamRows(db)).map((row) => upstreamView(row, now));
}

export async function showUpstream(db: Db, name: string): Promise<UpstreamView> {
  return upstreamView(await requireUpstream(db, name));
}

/** The columns a body sets (secrets sealed), over `base` when it changes an existing row. */
function columnsOf(box: SecretBox, name: string, body: UpstreamUpdateBody, base?: UpstreamRow): Partial<UpstreamRow> {
  const seal = (field: SecretField, value: string | null | undefined) =>
    value === undefined ? {} : { [`${field}_enc`]: value === null ? null : box.seal(value, place(name, field)) };
  // An API key replaces an AK/SK pair and the other way round: an upstream signs in one way.
  const credentials = body.api_key !== undefined
    ? { ...seal('api_key', body.api_key), access_key: null, secret_key_enc: null }
    : body.access_key !== undefined || body.secret_key !== undefined
      ? { api_key_enc: null, ...(body.access_key !== undefined ? { access_key: body.access_key } : {}), ...seal('secret_key', body.secret_key) }
      : {};
  const columns: Partial<UpstreamRow> = {
    ...(body.base_url !== undefined ? { base_url: body.base_url.replace(/\/+$/, '') } : {}),
    ...(body.path_style !== undefined ? { path_style: body.path_style } : {}),
    ...(body.endpoint_path !== undefined ? { endpoint_path: body.endpoint_path } : {}),
    ...(body.endpoint_paths !== undefined ? { endpoint_paths_json: JSON.stringify(body.endpoint_paths) } : {}),
    ...(body.concurrency !== undefined ? { concurrency_json: JSON.stringify({ ...(base ? JSON.parse(base.concurrency_json) : {}), ...body.concurrency }) } : {}),
    ...(body.models !== undefined ? { models_json: JSON.stringify(body.models) } : {}),
    ...(body.families !== undefined ? { families_json: JSON.stringify(body.families) } : {}),
    ...(body.priority !== undefined ? { priority: body.priority } : {}),
    ...(body.results !== undefined ? { results: body.results } : {}),
    ...credentials,
    ...seal('webhook_secret', body.webhook_secret),
  };
  return columns;
}

/** A body names one way to sign in: an API key, or an AK/SK pair. */
function signsInOneWay(body: UpstreamUpdateBody): void {
  if (body.api_key !== undefined && (body.access_key !== undefined || body.secret_key !== undefined)) {
    throw new KlingError(1201, 'api_key: give api_key, or access_key and secret_key, not both');
  }
}

/** What a whole row must hold, whichever body made it: one way to sign in, an endpoint path for the endpoint style. */
function checkRow(row: UpstreamRow, body: UpstreamUpdateBody): void {
  const unknown = (body.families ?? []).find((f) => !familyByName(f));
  if (unknown) throw new KlingError(1201, `families: no family named '${unknown}'`);
  if (row.api_key_enc === null && (row.access_key === null || row.secret_key_enc === null)) {
    const missing = body.access_key !== undefined && row.secret_key_enc === null ? 'secret_key' : body.secret_key !== undefined && row.access_key === null ? 'access_key' : 'api_key';
    throw new KlingError(1201, `${missing}: an upstream needs api_key, or access_key and secret_key`);
  }
  if (row.path_style === 'endpoint' && row.endpoint_path === null && row.endpoint_paths_json === '{}') {
    throw new KlingError(1201, 'endpoint_path: the endpoint path style needs endpoint_path (or endpoint_paths per model)');
  }
}

export async function addUpstream(db: Db, box: SecretBox, input: unknown, now = Date.now()): Promise<UpstreamView> {
  const body = validateOperatorBody(UpstreamCreateSchema, input);
  signsInOneWay(body);
  const row: UpstreamRow = {
    name: body.name, base_url: '', path_style: 'official', endpoint_path: null, endpoint_paths_json: '{}', concurrency_json: '{}',
    models_json: '[]', families_json: '[]', priority: 0, results: 'archive', access_key: null, api_key_enc: null, secret_key_enc: null,
    webhook_secret_enc: null, created_at: now, updated_at: now,
    health_failures: 0, health_open_until: null, health_cooldown_ms: 0, health_reason: null, lowered_limits_json: '{}',
    ...columnsOf(box, body.name, body),
  };
  checkRow(row, body);
  if (!(await insertUpstream(db, row))) throw new KlingError(1201, `name: an upstream named '${body.name}' already exists`);
  return upstreamView(row);
}

/** Changes an upstream. Tasks already on it stay there; new tasks are routed with the change. */
export async function setUpstream(db: Db, box: SecretBox, name: string, input: unknown, now = Date.now()): Promise<UpstreamView> {
  const body = validateOperatorBody(UpstreamUpdateSchema, input);
  signsInOneWay(body);
  const row = await requireUpstream(db, name);
  const changes = { ...columnsOf(box, name, body, row), updated_at: Math.max(now, Number(row.updated_at) + 1) };
  const changed = { ...row, ...changes };
  checkRow(changed, body);
  await updateUpstream(db, name, changes);
  return upstreamView(changed);
}

export async function dropUpstream(db: Db, name: string): Promise<void> {
  await requireUpstream(db, name);
  if (await upstreamHasUnfinishedTasks(db, name)) {
    throw new KlingError(1201, `upstream '${name}' has unfinished tasks; remove it once they have ended`);
  }
  await deleteUpstream(db, name);
}

/** Every upstream as the relay uses it: secrets opened (never to be logged or answered). */
export async function upstreamConfigs(db: Db, box: SecretBox): Promise<UpstreamConfig[]> {
  return (await listUpstreamRows(db)).map((row) => {
    const open = (field: SecretField) => {
      const sealed = row[`${field}_enc`];
      return sealed === null ? undefined : box.open(sealed, place(row.name, field));
    };
    const view = upstreamView(row);
    return {
      name: row.name,
      baseUrl: row.base_url,
      pathStyle: view.path_style,
      apiKey: open('api_key'),
      accessKey: row.access_key ?? undefined,
      secretKey: open('secret_key'),
      endpointPath: row.endpoint_path ?? undefined,
      endpointPaths: view.endpoint_paths,
      concurrency: view.concurrency as Partial<Record<PackType, number>>,
      models: view.models,
      families: view.families,
      priority: view.priority,
      webhookSecret: open('webhook_secret'),
      results: view.results,
      updatedAt: view.updated_at,
      health: healthOf(row),
      lowered: JSON.parse(row.lowered_limits_json) as LoweredLimits,
    };
  });
}

/** The quick start's upstream (KILN_UPSTREAM_URL ...): made, or brought up to date, under its name on each start. */
export async function saveEnvUpstream(db: Db, box: SecretBox, config: UpstreamConfig): Promise<void> {
  const body = {
    base_url: config.baseUrl,
    path_style: config.pathStyle,
    ...(config.apiKey ? { api_key: config.apiKey } : { access_key: config.accessKey, secret_key: config.secretKey }),
    ...(config.endpointPath ? { endpoint_path: config.endpointPath } : {}),
    ...(config.concurrency ? { concurrency: config.concurrency } : {}),
    ...(config.webhookSecret ? { webhook_secret: config.webhookSecret } : {}),
    ...(config.results ? { results: config.results } : {}),
  };
  if (await upstreamRow(db, config.name)) {
    await setUpstream(db, box, config.name, body);
    return;
  }
  try {
    await addUpstream(db, box, { name: config.name, ...body });
  } catch (error) {
    // Another process starting at the same moment added it: bring it up to date instead.
    if (!(error instanceof KlingError && /already exists/.test(error.message))) throw error;
    await setUpstream(db, box, config.name, body);
  }
}
