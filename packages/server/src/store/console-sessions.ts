// Console sessions: what a sign-in cookie stands for. The cookie carries a random token; the store keeps only its
// SHA-256, who signed in and with which credential, so the session ends when that credential is revoked (checked on
// every request by the caller, console-auth.ts) as well as when it expires or the user signs out.

import { createHash, randomBytes } from 'node:crypto';
import { CONSOLE_SESSION_MS, type ConsoleRole } from '@kiln/contract';
import type { Db } from './open.ts';
import type { ConsoleSessionsTable } from './schema.ts';

export type ConsoleSession = ConsoleSessionsTable;
export type CredentialKind = 'api_key' | 'access_key' | 'admin_token';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Opens a session and answers the cookie's token (shown to the browser only). Expired sessions are purged here. */
export async function openConsoleSession(
  db: Db,
  session: { role: ConsoleRole; tenantId: string | null; credentialKind: CredentialKind; credential: string },
  now = Date.now(),
): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + CONSOLE_SESSION_MS;
  await db.deleteFrom('console_sessions').where('expires_at', '<=', now).execute();
  await db.insertInto('console_sessions').values({
    id_hash: hashToken(token),
    role: session.role,
    tenant_id: session.tenantId,
    credential_kind: session.credentialKind,
    credential: session.credential,
    created_at: now,
    expires_at: expiresAt,
  }).execute();
  return { token, expiresAt };
}

/** The unexpired session a cookie's token names. */
export async function findConsoleSession(db: Db, token: string, now = Date.now()): Promise<ConsoleSession | undefined> {
  const row = await db.selectFrom('console_sessions').selectAll()
    .where('id_hash', '=', hashToken(token)).where('expires_at', '>', now).executeTakeFirst();
  return row && { ...row, created_at: Number(row.created_at), expires_at: Number(row.expires_at) };
}

export async function closeConsoleSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('id_hash', '=', hashToken(token)).execute();
}

/** The admin token as a session records it: its hash, so the store never holds the token itself. */
export const adminCredential = (adminToken: string) => hashToken(adminToken);
