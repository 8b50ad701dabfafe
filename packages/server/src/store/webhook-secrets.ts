// Webhook secrets: what signs a tenant's callbacks now, and rotation. After a rotation the previous secret signs
// too, beside the new one, until its grace period ends (Standard Webhooks sends several signatures, space-separated;
// a receiver accepts a callback when any of them verifies).

import { WEBHOOK_ROTATION_GRACE_MS } from '@kiln/contract';
import { newWebhookSecret } from '../accounts/credentials.ts';
import type { Db } from './open.ts';

/** The secrets that sign the tenant's callbacks at `now`: the current one, then the previous one in its grace. */
export async function signingSecrets(db: Db, tenantId: string, now = Date.now()): Promise<string[]> {
  const row = await db.selectFrom('tenants').select(['webhook_secret', 'previous_webhook_secret', 'previous_webhook_secret_until'])
    .where('id', '=', tenantId).executeTakeFirst();
  if (!row?.webhook_secret) return [];
  const previousLive = row.previous_webhook_secret && Number(row.previous_webhook_secret_until) > now;
  return previousLive ? [row.webhook_secret, row.previous_webhook_secret!] : [row.webhook_secret];
}

/**
 * Replaces the tenant's webhook secret; the one it replaces keeps signing until `now` + the grace period. A
 * compare-and-swap on the secret read, so two rotations at once cannot both keep the same "previous".
 * Answers undefined when the tenant's callbacks are unsigned (nothing to rotate) or another rotation won.
 */
export async function rotateWebhookSecret(db: Db, tenantId: string, now = Date.now()): Promise<{ secret: string; previousUntil: number } | undefined> {
  const row = await db.selectFrom('tenants').select('webhook_secret').where('id', '=', tenantId).executeTakeFirst();
  if (!row?.webhook_secret) return undefined;
  const secret = newWebhookSecret();
  const previousUntil = now + WEBHOOK_ROTATION_GRACE_MS;
  const written = await db.updateTable('tenants')
    .set({ webhook_secret: secret, previous_webhook_secret: row.webhook_secret, previous_webhook_secret_until: previousUntil })
    .where('id', '=', tenantId).where('webhook_secret', '=', row.webhook_secret)
    .executeTakeFirst();
  return Number(written.numUpdatedRows) > 0 ? { secret, previousUntil } : undefined;
}
