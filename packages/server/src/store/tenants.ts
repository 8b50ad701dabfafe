// Tenants: who may call the API, with their credentials and per-pack concurrency limits.

import { randomUUID } from 'node:crypto';
import type { PackType } from '@kiln/contract';
import { hashApiKey, newAccessKey, newApiKey, newSecretKey, newWebhookSecret } from '../accounts/credentials.ts';
import type { Db } from './open.ts';
import { addPack, STARTER_PACKS } from './resource-packs.ts';
import type { TenantsTable } from './schema.ts';
import { deleteKeysOf, insertKey, liveKey } from './tenant-keys.ts';

export type Tenant = TenantsTable;

/** The names of the credentials a tenant is made with. */
export const DEFAULT_API_KEY_NAME = 'default';
export const DEFAULT_ACCESS_KEY_NAME = 'default-ak';

export interface PackLimits {
  video: number;
  image: number;
  'try-on': number;
}

export const DEFAULT_LIMITS: PackLimits = { video: 10, image: 20, 'try-on': 5 };

export interface NewTenant {
  name: string;
  limits?: Partial<PackLimits>;
  apiKey?: string;
  accessKey?: string;
  secretKey?: string;
  webhookSecret?: string | null;
  timingProfile?: string | null;
  /** Where the tenant's tasks are made (default `simulator`). */
  engine?: string;
  /** Resource packs to start with (default: the starter packs). */
  packs?: { type: PackType; units: number }[];
}

/** Credentials as shown once, at creation: the API key is not kept in clear. */
export interface IssuedCredentials {
  tenant_id: string;
  name: string;
  api_key: string;
  access_key: string;
  secret_key: string;
  webhook_secret: string | null;
}

export function packLimit(tenant: Tenant, pack: PackType): number {
  return pack === 'video' ? tenant.limit_video : pack === 'image' ? tenant.limit_image : tenant.limit_try_on;
}

export async function createTenant(db: Db, input: NewTenant): Promise<IssuedCredentials> {
  const given = Object.entries(input.limits ?? {}).filter(([, v]) => v !== undefined);
  const limits: PackLimits = { ...DEFAULT_LIMITS, ...Object.fromEntries(given) };
  const issued: IssuedCredentials = {
    tenant_id: randomUUID(),
    name: input.name,
    api_key: input.apiKey ?? newApiKey(),
    access_key: input.accessKey ?? newAccessKey(),
    secret_key: input.secretKey ?? newSecretKey(),
    webhook_secret: input.webhookSecret === undefined ? newWebhookSecret() : input.webhookSecret,
  };
  await db.transaction().execute(async (trx) => {
  await trx.insertInto('tenants').values({
    id: issued.tenant_id,
    name: issued.name,
    api_key_hash: hashApiKey(issued.api_key),
    access_key: issued.access_key,
    secret_key: issued.secret_key,
    webhook_secret: issued.webhook_secret,
    limit_video: limits.video,
    limit_image: limits.image,
    limit_try_on: limits['try-on'],
    timing_profile: input.timingProfile ?? null,
    engine: input.engine ?? 'simulator',
    created_at: Date.now(),
  }).execute();
  await insertKey(trx, issued.tenant_id, DEFAULT_API_KEY_NAME, 'api_key', { apiKey: issued.api_key });
  await insertKey(trx, issued.tenant_id, DEFAULT_ACCESS_KEY_NAME, 'access_key', { accessKey: issued.access_key, secretKey: issued.secret_key });
  for (const pack of input.packs ?? STARTER_PACKS) await addPack(trx, issued.tenant_id, pack);
  });
  return issued;
}

export async function tenantByName(db: Db, name: string): Promise<Tenant | undefined> {
  return db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst();
}

/** The tenant a live API key belongs to. */
export async function tenantByApiKey(db: Db, apiKey: string): Promise<Tenant | undefined> {
  return (await liveKey(db, 'api_key', hashApiKey(apiKey)))?.tenant;
}

/** The tenant a live access key belongs to. */
export async function tenantByAccessKey(db: Db, accessKey: string): Promise<Tenant | undefined> {
  return (await liveKey(db, 'access_key', accessKey))?.tenant;
}

export async function updateTenant(db: Db, id: string, changes: Partial<Omit<Tenant, 'id'>>): Promise<void> {
  await db.updateTable('tenants').set(changes).where('id', '=', id).execute();
}

/**
 * Removes a tenant with its keys and resource packs. Refused while it has unfinished tasks: their workers, slots
 * and callbacks need it. Its finished tasks and their media stay until the retention sweep purges them.
 */
export async function removeTenant(db: Db, id: string): Promise<'removed' | 'busy'> {
  return db.transaction().execute(async (trx) => {
    const unfinished = await trx.selectFrom('tasks').select('id')
      .where('tenant_id', '=', id).where('status', 'in', ['submitted', 'processing']).limit(1).executeTakeFirst();
    if (unfinished) return 'busy';
    await deleteKeysOf(trx, id);
    await trx.deleteFrom('resource_packs').where('tenant_id', '=', id).execute();
    await trx.deleteFrom('pack_usage').where('tenant_id', '=', id).execute();
    await trx.deleteFrom('tenants').where('id', '=', id).execute();
    return 'removed';
  });
}

export async function listTenants(db: Db): Promise<Tenant[]> {
  return db.selectFrom('tenants').selectAll().orderBy('created_at').execute();
}

/** The tenant's current webhook secret (callbacks are signed with it when sent, so a rotated one signs retries). */
export async function webhookSecretOf(db: Db, tenantId: string): Promise<string | null> {
  return (await db.selectFrom('tenants').select('webhook_secret').where('id', '=', tenantId).executeTakeFirst())?.webhook_secret ?? null;
}

/** Reads the tenants table once: throws when the store cannot be read. */
export async function checkStoreReadable(db: Db): Promise<void> {
  await db.selectFrom('tenants').select('id').limit(1).execute();
}
