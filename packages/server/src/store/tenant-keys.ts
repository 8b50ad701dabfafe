// A tenant's named credentials: API keys (stored as hashes) and access-key/secret-key pairs. A request is checked
// against this table on every call, with no cache in front, so a revoked key is refused at once by every process.

import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { hashApiKey, newAccessKey, newApiKey, newSecretKey } from '../accounts/credentials.ts';
import type { Db } from './open.ts';
import { param, prepare } from './prepared.ts';
import type { Database, TenantKeysTable, TenantsTable } from './schema.ts';

export type KeyKind = 'api_key' | 'access_key';
export type TenantKey = TenantKeysTable;

/** What a listing shows of a key: never the secret, never the API key's hash. */
export interface KeyInfo {
  name: string;
  kind: KeyKind;
  /** The access key of an AK/SK pair (not a secret: it names the key in JWTs); null for an API key. */
  access_key: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** A new key as shown once, when made. */
export interface IssuedKey {
  name: string;
  kind: KeyKind;
  api_key?: string;
  access_key?: string;
  secret_key?: string;
}

/** last_used_at is written when the stored value is older than this, so a busy key costs no write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

type Executor = Db | Transaction<Database>;

export async function insertKey(
  db: Executor,
  tenantId: string,
  name: string,
  kind: KeyKind,
  given: { apiKey?: string; accessKey?: string; secretKey?: string } = {},
  now = Date.now(),
): Promise<IssuedKey> {
  const issued: IssuedKey = kind === 'api_key'
    ? { name, kind, api_key: given.apiKey ?? newApiKey() }
    : { name, kind, access_key: given.accessKey ?? newAccessKey(), secret_key: given.secretKey ?? newSecretKey() };
  await db.insertInto('tenant_keys').values({
    id: randomUUID(),
    tenant_id: tenantId,
    name,
    kind,
    lookup: issued.api_key ? hashApiKey(issued.api_key) : issued.access_key!,
    secret_key: issued.secret_key ?? null,
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  }).execute();
  return issued;
}

export async function keysOf(db: Db, tenantId: string): Promise<KeyInfo[]> {
  const rows = await db.selectFrom('tenant_keys').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('name').execute();
  return rows.map(keyInfo);
}

export function keyInfo(row: TenantKey): KeyInfo {
  return {
    name: row.name,
    kind: row.kind as KeyKind,
    access_key: row.kind === 'access_key' ? row.lookup : null,
    created_at: Number(row.created_at),
    last_used_at: row.last_used_at === null ? null : Number(row.last_used_at),
    revoked_at: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

/** The tenant's live key of that name (revoked keys keep their names, so several rows may carry it). */
export async function liveKeyByName(db: Executor, tenantId: string, name: string): Promise<TenantKey | undefined> {
  return db.selectFrom('tenant_keys').selectAll()
    .where('tenant_id', '=', tenantId).where('name', '=', name).where('revoked_at', 'is', null).executeTakeFirst();
}

/** Revokes a live key; false when it was revoked already. */
export async function revokeKey(db: Executor, keyId: string, now = Date.now()): Promise<boolean> {
  const result = await db.updateTable('tenant_keys').set({ revoked_at: now })
    .where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives a key pair a new secret key (the access key stays; JWTs signed with the old secret stop verifying). */
export async function setSecretKey(db: Executor, keyId: string, secretKey: string): Promise<void> {
  await db.updateTable('tenant_keys').set({ secret_key: secretKey }).where('id', '=', keyId).execute();
}

/** The key, live or revoked, of this lookup value (an API key's hash, an access key), whoever's it is. */
export async function keyByLookup(db: Executor, lookup: string): Promise<TenantKey | undefined> {
  return db.selectFrom('tenant_keys').selectAll().where('lookup', '=', lookup).executeTakeFirst();
}

/** Puts a revoked key back into effect under a name, with the secret key given (key pairs). */
export async function reinstateKey(db: Executor, keyId: string, name: string, secretKey: string | null): Promise<void> {
  await db.updateTable('tenant_keys').set({ revoked_at: null, name, secret_key: secretKey }).where('id', '=', keyId).execute();
}

export async function deleteKeysOf(db: Executor, tenantId: string): Promise<void> {
  await db.deleteFrom('tenant_keys').where('tenant_id', '=', tenantId).execute();
}

const liveKeyQuery = (db: Db) => prepare(db.selectFrom('tenant_keys')
  .innerJoin('tenants', 'tenants.id', 'tenant_keys.tenant_id')
  .selectAll('tenants')
  .select([
    'tenant_keys.id as key_id', 'tenant_keys.name as key_name', 'tenant_keys.kind as key_kind',
    'tenant_keys.secret_key as key_secret', 'tenant_keys.created_at as key_created_at', 'tenant_keys.last_used_at as key_last_used_at',
  ])
  .where('tenant_keys.lookup', '=', param('lookup')).where('tenant_keys.kind', '=', param('kind'))
  .where('tenant_keys.revoked_at', 'is', null));
// Authentication runs on every request: its query is compiled once per database (prepared.ts).
const compiled = new WeakMap<Db, ReturnType<typeof liveKeyQuery>>();

/** The live key a request presents (an API key's hash, or an access key) and its tenant. */
export async function liveKey(db: Db, kind: KeyKind, lookup: string): Promise<{ key: TenantKey; tenant: TenantsTable } | undefined> {
  let query = compiled.get(db);
  if (!query) compiled.set(db, (query = liveKeyQuery(db)));
  const row = (await query(db, { lookup, kind })).rows[0];
  if (!row) return undefined;
  const { key_id, key_name, key_kind, key_secret, key_created_at, key_last_used_at, ...tenant } = row;
  return {
    tenant,
    key: {
      id: key_id, tenant_id: tenant.id, name: key_name, kind: key_kind, lookup, secret_key: key_secret,
      created_at: key_created_at, last_used_at: key_last_used_at, revoked_at: null,
    },
  };
}

/** Whether a key's last-used stamp is older than LAST_USED_RESOLUTION_MS (or missing), so touchKey would write. */
export function touchDue(key: TenantKey, now = Date.now()): boolean {
  return key.last_used_at === null || now - Number(key.last_used_at) >= LAST_USED_RESOLUTION_MS;
}

/** Stamps a key as used now, unless it was stamped less than LAST_USED_RESOLUTION_MS ago. */
export async function touchKey(db: Db, key: TenantKey, now = Date.now()): Promise<void> {
  if (!touchDue(key, now)) return;
  await db.updateTable('tenant_keys').set({ last_used_at: now }).where('id', '=', key.id).execute();
}

export const apiKeyLookup = hashApiKey;
