// Finding the session a call or a task create names (spec §2.6, §2.8): the caller's own, of the right kind, not yet
// expired. Another tenant's session is answered exactly like one that never existed.

import fs from 'node:fs/promises';
import path from 'node:path';
import { KlingError } from '@kiln/contract';
import type { Db } from '../store/open.ts';
import { findSession, purgeExpiredSessions, type SessionKind, type SessionRow } from '../store/sessions.ts';
import type { Tenant } from '../store/tenants.ts';
import type { ActionDeps } from './deps.ts';

const OPENED_BY: Record<SessionKind, string> = {
  'multi-elements': 'multi-elements/init-selection',
  'identify-face': 'identify-face',
};

export async function openSession(deps: ActionDeps, tenant: Tenant, id: string, kind: SessionKind, now = Date.now()): Promise<SessionRow> {
  return findLiveSession(deps.db, tenant.id, id, kind, 'session_id', now);
}

/** The same, for a session named by `field` of a task create (multi-elements, advanced-lip-sync). */
export async function findLiveSession(db: Db, tenantId: string, id: string, kind: SessionKind, field: string, now = Date.now()): Promise<SessionRow> {
  const row = await findSession(db, tenantId, id);
  if (!row) throw new KlingError(1203, `${field}: no session '${id}'; open one with ${OPENED_BY[kind]}`);
  if (row.kind !== kind) {
    throw new KlingError(1201, `${field}: session '${id}' was opened by ${OPENED_BY[row.kind as SessionKind] ?? row.kind}, not by ${OPENED_BY[kind]}`);
  }
  if (row.expires_at <= now) {
    throw new KlingError(1201,
      `${field}: session '${id}' expired at ${new Date(row.expires_at).toISOString()} (sessions are valid for 24 hours); open a new one with ${OPENED_BY[kind]}`);
  }
  return row;
}

/** Best effort, on the way: sessions a week past expiry lose their row and their files. */
export async function purgeOldSessions(deps: ActionDeps): Promise<void> {
  try {
    for (const id of await purgeExpiredSessions(deps.db)) {
      await fs.rm(path.join(deps.urls.storage.root, id), { recursive: true, force: true });
    }
  } catch {
    // Nothing a caller did wrong; the next session opened tries again.
  }
}
