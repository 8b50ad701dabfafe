// The default tenant of a fresh installation. Its credentials come from KILN_API_KEY / KILN_ACCESS_KEY /
// KILN_SECRET_KEY / KILN_WEBHOOK_SECRET when set (and follow them on later starts), otherwise they are made on
// first start and printed once.

import { hashApiKey } from './credentials.ts';
import type { Db } from '../store/open.ts';
import { createTenant, tenantByName, updateTenant, type IssuedCredentials } from '../store/tenants.ts';

export const DEFAULT_TENANT = 'default';

// Generous limits so a developer's first runs never meet 1303; operators set real ones per tenant.
const DEFAULT_TENANT_LIMITS = { video: 20, image: 40, 'try-on': 10 };

export interface DefaultCredentials {
  apiKey?: string;
  accessKey?: string;
  secretKey?: string;
  webhookSecret?: string;
}

export async function ensureDefaultTenant(db: Db, wanted: DefaultCredentials): Promise<IssuedCredentials | undefined> {
  const existing = await tenantByName(db, DEFAULT_TENANT);
  if (!existing) {
    return createTenant(db, {
      name: DEFAULT_TENANT,
      limits: DEFAULT_TENANT_LIMITS,
      apiKey: wanted.apiKey,
      accessKey: wanted.accessKey,
      secretKey: wanted.secretKey,
      webhookSecret: wanted.webhookSecret,
    });
  }
  const changes: Record<string, string> = {};
  if (wanted.apiKey && hashApiKey(wanted.apiKey) !== existing.api_key_hash) changes.api_key_hash = hashApiKey(wanted.apiKey);
  if (wanted.accessKey && wanted.accessKey !== existing.access_key) changes.access_key = wanted.accessKey;
  if (wanted.secretKey && wanted.secretKey !== existing.secret_key) changes.secret_key = wanted.secretKey;
  if (wanted.webhookSecret && wanted.webhookSecret !== existing.webhook_secret) changes.webhook_secret = wanted.webhookSecret;
  if (Object.keys(changes).length) await updateTenant(db, existing.id, changes);
  return undefined;
}
