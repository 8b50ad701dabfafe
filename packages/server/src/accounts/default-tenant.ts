// The default tenant of a fresh installation. Its credentials come from KILN_API_KEY / KILN_ACCESS_KEY /
// KILN_SECRET_KEY / KILN_WEBHOOK_SECRET when set (and follow them on later starts), otherwise they are made on
// first start and shown once. A start whose KILN_API_KEY (or access key) differs from the key in effect replaces
// it: the old key is revoked, so a leaked key is shut out by rotating the variable, and the start says so.

import { hashApiKey } from './credentials.ts';
import type { Db } from '../store/open.ts';
import { insertKey, keyByLookup, liveKeyByName, reinstateKey, revokeKey, setSecretKey, type KeyKind } from '../store/tenant-keys.ts';
import {
  createTenant, DEFAULT_ACCESS_KEY_NAME, DEFAULT_API_KEY_NAME, tenantByName, updateTenant, type IssuedCredentials, type Tenant,
} from '../store/tenants.ts';

export const DEFAULT_TENANT = 'default';

// Generous limits so a developer's first runs never meet 1303; operators set real ones per tenant.
const DEFAULT_TENANT_LIMITS = { video: 20, image: 40, 'try-on': 10 };

export interface DefaultCredentials {
  apiKey?: string;
  accessKey?: string;
  secretKey?: string;
  webhookSecret?: string;
}

export interface DefaultTenantStart {
  /** Set when this start created the tenant: its credentials (those the operator supplied included). */
  created?: IssuedCredentials;
  /** What this start did to the credentials in effect, in words for the operator (never a secret value). */
  notes: string[];
}

export async function ensureDefaultTenant(db: Db, wanted: DefaultCredentials): Promise<DefaultTenantStart> {
  let existing = await tenantByName(db, DEFAULT_TENANT);
  if (!existing) {
    try {
      const created = await createTenant(db, {
        name: DEFAULT_TENANT,
        limits: DEFAULT_TENANT_LIMITS,
        apiKey: wanted.apiKey,
        accessKey: wanted.accessKey,
        secretKey: wanted.secretKey,
        webhookSecret: wanted.webhookSecret,
      });
      return { created, notes: [] };
    } catch (error) {
      // Processes starting together on one new PostgreSQL store: another one made the tenant a moment ago (the
      // name is unique). This one goes on with it, as on any later start.
      existing = await tenantByName(db, DEFAULT_TENANT);
      if (!existing) throw error;
    }
  }
  const notes: string[] = [];
  if (wanted.apiKey) notes.push(...await follow(db, existing, 'api_key', DEFAULT_API_KEY_NAME, { apiKey: wanted.apiKey }));
  if (wanted.accessKey || wanted.secretKey) {
    notes.push(...await follow(db, existing, 'access_key', DEFAULT_ACCESS_KEY_NAME, { accessKey: wanted.accessKey, secretKey: wanted.secretKey }));
  }
  if (wanted.webhookSecret && wanted.webhookSecret !== existing.webhook_secret) {
    await updateTenant(db, existing.id, { webhook_secret: wanted.webhookSecret });
    notes.push('KILN_WEBHOOK_SECRET differs from the secret in effect: callbacks are signed with the new one from now on (retries included).');
  }
  return { notes };
}

/** Makes the variable's key the tenant's key of that name, revoking the one it replaces. */
async function follow(
  db: Db,
  tenant: Tenant,
  kind: KeyKind,
  name: string,
  given: { apiKey?: string; accessKey?: string; secretKey?: string },
): Promise<string[]> {
  const variable = kind === 'api_key' ? 'KILN_API_KEY' : given.accessKey ? 'KILN_ACCESS_KEY' : 'KILN_SECRET_KEY';
  const lookup = given.apiKey ? hashApiKey(given.apiKey) : given.accessKey;
  return db.transaction().execute(async (trx) => {
    const current = await liveKeyByName(trx, tenant.id, name);
    // Only the secret changed: the pair keeps its access key, and JWTs signed with the old secret stop verifying.
    if (current && kind === 'access_key' && (!given.accessKey || given.accessKey === current.lookup)) {
      if (!given.secretKey || given.secretKey === current.secret_key) return [];
      await setSecretKey(trx, current.id, given.secretKey);
      return [`KILN_SECRET_KEY differs from the secret in effect: the default tenant's key '${name}' now verifies JWTs with the new one; tokens signed with the old one get 1002.`];
    }
    if (current && current.lookup === lookup) return [];
    const notes: string[] = [];
    if (current) {
      await revokeKey(trx, current.id);
      notes.push(`${variable} differs from the default tenant's key '${name}' in effect (made ${new Date(Number(current.created_at)).toISOString()}): that key is revoked, requests with it get 1002, and the new one is in effect.`);
    } else {
      notes.push(`${variable} is now the default tenant's key '${name}' (it had none of that name in effect).`);
    }
    // The same value used before and revoked since: it comes back into effect rather than being made twice.
    const earlier = await keyByLookup(trx, lookup!);
    if (earlier && earlier.tenant_id !== tenant.id) throw new Error(`${variable} is a key of another tenant already; give the default tenant its own`);
    if (earlier) {
      await reinstateKey(trx, earlier.id, name, given.secretKey ?? earlier.secret_key);
    } else {
      // An access key given without its secret keeps the replaced pair's secret, so the operator's JWT signer keeps
      // working; with no pair to take it from, a secret made now could never be shown, so one must be given.
      const secretKey = kind === 'access_key' ? given.secretKey ?? current?.secret_key ?? undefined : undefined;
      if (kind === 'access_key' && !secretKey) throw new Error('KILN_ACCESS_KEY needs KILN_SECRET_KEY: the default tenant has no key pair to keep a secret from');
      await insertKey(trx, tenant.id, name, kind, { ...given, secretKey });
    }
    return notes;
  });
}

/** Points the default tenant's new tasks at the relay (KILN_UPSTREAM_URL's quick start); idempotent. */
export async function relayDefaultTenant(db: Db): Promise<void> {
  const tenant = await tenantByName(db, DEFAULT_TENANT);
  if (tenant && tenant.engine !== 'relay') await updateTenant(db, tenant.id, { engine: 'relay' });
}
