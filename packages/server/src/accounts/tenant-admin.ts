// Tenant, key and pack management: what `/admin/tenants/...` and `kiln tenant|key|pack` do, in one place. Bodies
// are checked against the contract's operator schemas; failures are Kling errors (1201 naming the field, 1203 for
// an unknown tenant or key), so the HTTP API and the CLI say the same thing.

import {
  KeyCreateSchema, KlingError, PackCreateSchema, TenantCreateSchema, TenantUpdateSchema, validateOperatorBody,
  type EngineName, type KeyView, type PackType, type PackView, type TenantDetail, type TenantView,
} from '@kiln/contract';
import type { Db } from '../store/open.ts';
import { slotsHeld } from '../store/slots.ts';
import { isUniqueViolation } from '../store/unique-violation.ts';
import { addPack, packStatus, packsOf, type ResourcePack } from '../store/resource-packs.ts';
import { insertKey, keyInfo, liveKeyByName, keysOf, revokeKey, type IssuedKey, type KeyKind } from '../store/tenant-keys.ts';
import {
  createTenant, listTenants, removeTenant, tenantByName, updateTenant, type IssuedCredentials, type Tenant,
} from '../store/tenants.ts';

const DAY_MS = 24 * 3600 * 1000;

export function tenantView(t: Tenant): TenantView {
  return {
    id: t.id,
    name: t.name,
    created_at: Number(t.created_at),
    concurrency: { video: t.limit_video, image: t.limit_image, 'try-on': t.limit_try_on },
    timing: t.timing_profile,
    engine: t.engine as EngineName,
    signed_callbacks: t.webhook_secret !== null,
  };
}

export function packView(p: ResourcePack, now = Date.now()): PackView {
  return {
    id: p.id,
    name: p.name,
    type: p.type as PackType,
    total_units: Number(p.total_quantity),
    remaining_units: Number(p.remaining_quantity),
    effective_time: Number(p.effective_time),
    invalid_time: Number(p.invalid_time),
    status: packStatus(p, now),
  };
}

export async function requireTenant(db: Db, name: string): Promise<Tenant> {
  const tenant = await tenantByName(db, name);
  if (!tenant) throw new KlingError(1203, `no tenant named '${name}'`);
  return tenant;
}

export async function listTenantViews(db: Db): Promise<TenantView[]> {
  return (await listTenants(db)).map(tenantView);
}

export async function showTenant(db: Db, name: string, now = Date.now()): Promise<TenantDetail> {
  const tenant = await requireTenant(db, name);
  const held = await slotsHeld(db, tenant.id);
  const used = (pack: PackType) => held[pack] ?? 0;
  return {
    ...tenantView(tenant),
    keys: (await keysOf(db, tenant.id)).map(keyView),
    packs: (await packsOf(db, tenant.id)).map((p) => packView(p, now)),
    slots_in_use: { video: used('video'), image: used('image'), 'try-on': used('try-on') },
  };
}

export async function addTenant(db: Db, input: unknown): Promise<IssuedCredentials> {
  const body = validateOperatorBody(TenantCreateSchema, input);
  const taken = () => new KlingError(1201, `name: a tenant named '${body.name}' already exists`);
  if (await tenantByName(db, body.name)) throw taken();
  return createTenant(db, {
    name: body.name,
    limits: body.concurrency,
    webhookSecret: body.signed_callbacks === false ? null : undefined,
    timingProfile: body.timing,
    engine: body.engine,
  }).catch((error: unknown) => {
    throw isUniqueViolation(error) ? taken() : error;
  });
}

export async function setTenant(db: Db, name: string, input: unknown): Promise<TenantView> {
  const body = validateOperatorBody(TenantUpdateSchema, input);
  const tenant = await requireTenant(db, name);
  const c = body.concurrency ?? {};
  const changes: Partial<Tenant> = {
    ...(c.video !== undefined ? { limit_video: c.video } : {}),
    ...(c.image !== undefined ? { limit_image: c.image } : {}),
    ...(c['try-on'] !== undefined ? { limit_try_on: c['try-on'] } : {}),
    ...(body.timing !== undefined ? { timing_profile: body.timing } : {}),
    // New tasks go to the new engine; tasks already made finish on the engine that admitted them.
    ...(body.engine !== undefined ? { engine: body.engine } : {}),
  };
  // A lower limit applies to new tasks: those running keep their slots until they end (Kling's 1303 is at create).
  if (Object.keys(changes).length) await updateTenant(db, tenant.id, changes);
  return tenantView({ ...tenant, ...changes });
}

export async function dropTenant(db: Db, name: string): Promise<void> {
  const tenant = await requireTenant(db, name);
  if ((await removeTenant(db, tenant.id)) === 'busy') {
    throw new KlingError(1201, `tenant '${name}' has unfinished tasks; remove it once they have ended`);
  }
}

export function keyView(k: ReturnType<typeof keyInfo>): KeyView {
  return { name: k.name, type: k.kind, access_key: k.access_key, created_at: k.created_at, last_used_at: k.last_used_at, revoked_at: k.revoked_at };
}

export async function listKeys(db: Db, tenantName: string): Promise<KeyView[]> {
  const tenant = await requireTenant(db, tenantName);
  return (await keysOf(db, tenant.id)).map(keyView);
}

export async function addKey(db: Db, tenantName: string, input: unknown): Promise<IssuedKey> {
  const body = validateOperatorBody(KeyCreateSchema, input);
  const tenant = await requireTenant(db, tenantName);
  const taken = () => new KlingError(1201, `name: tenant '${tenantName}' has a live key named '${body.name}' already`);
  if (await liveKeyByName(db, tenant.id, body.name)) throw taken();
  return insertKey(db, tenant.id, body.name, (body.type ?? 'api_key') as KeyKind).catch((error: unknown) => {
    throw isUniqueViolation(error) ? taken() : error;
  });
}

/** Revokes the tenant's live key of that name; every process refuses it from its next request. */
export async function revokeTenantKey(db: Db, tenantName: string, keyName: string, now = Date.now()): Promise<KeyView> {
  const tenant = await requireTenant(db, tenantName);
  const live = await liveKeyByName(db, tenant.id, keyName);
  if (!live) throw new KlingError(1203, `tenant '${tenantName}' has no live key named '${keyName}'`);
  await revokeKey(db, live.id, now);
  return keyView(keyInfo({ ...live, revoked_at: now }));
}

export async function listPacks(db: Db, tenantName: string, now = Date.now()): Promise<PackView[]> {
  const tenant = await requireTenant(db, tenantName);
  return (await packsOf(db, tenant.id)).map((p) => packView(p, now));
}

export async function addTenantPack(db: Db, tenantName: string, input: unknown, now = Date.now()): Promise<PackView> {
  const body = validateOperatorBody(PackCreateSchema, input);
  const tenant = await requireTenant(db, tenantName);
  if (body.expires_at !== undefined && body.expires_at <= now) throw new KlingError(1201, 'expires_at must be in the future');
  const pack = await addPack(db, tenant.id, {
    type: body.type, units: body.units, name: body.name, validMs: body.expires_at !== undefined ? body.expires_at - now : 365 * DAY_MS,
  }, now);
  return packView(pack, now);
}
