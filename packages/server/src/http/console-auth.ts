// Console sign-in: a credential (API key, AK/SK pair or the admin token) is exchanged for an HttpOnly, SameSite=Strict
// cookie naming a session in the store. Requests without an Authorization header are authenticated by that cookie:
// the session's credential is looked up again on every request, so signing out, expiry and revoking the key all end
// it at once. With the cookie, a request that changes data must carry the console's custom header (CSRF).

import { createHash, timingSafeEqual } from 'node:crypto';
import { CONSOLE_COOKIE, CONSOLE_CSRF_HEADER, KlingError, type ConsoleSessionInfo } from '@kiln/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashApiKey } from '../accounts/credentials.ts';
import { adminCredential, closeConsoleSession, findConsoleSession, openConsoleSession, type ConsoleSession } from '../store/console-sessions.ts';
import type { Db } from '../store/open.ts';
import { liveKey } from '../store/tenant-keys.ts';
import type { Tenant } from '../store/tenants.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who a console request is: a tenant, or the operator. */
export type ConsolePrincipal = { role: 'tenant'; tenant: Tenant } | { role: 'operator' };

export class ConsoleAuth {
  constructor(
    private readonly db: Db,
    private readonly adminToken: string,
    /** The Kling API's own check of an Authorization header. */
    private readonly bearer: (header: string | undefined) => Promise<Tenant>,
  ) {}

  /** The tenant of a request: by its Authorization header, or else by its console cookie. */
  async tenantOf(request: FastifyRequest): Promise<Tenant> {
    return (await this.sessionTenant(request)) ?? this.bearer(request.headers.authorization);
  }

  /** The tenant a request's console cookie signs in, when it has no Authorization header and has the cookie. */
  async sessionTenant(request: FastifyRequest): Promise<Tenant | undefined> {
    if (request.headers.authorization !== undefined) return undefined;
    const session = await this.session(request);
    if (!session) return undefined;
    if (session.principal.role !== 'tenant') {
      throw new KlingError(1103, 'the operator console session has no tenant: this endpoint needs a tenant signed in (API key or AK/SK)');
    }
    return session.principal.tenant;
  }

  /** The operator: `Authorization: Bearer <admin token>`, or an operator console session. */
  async requireOperator(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      if (!this.isAdminToken(/^Bearer (\S+)$/.exec(header)?.[1] ?? '')) throw new KlingError(1002, 'admin endpoints need Authorization: Bearer <admin token>');
      return;
    }
    const session = await this.session(request);
    if (!session) throw new KlingError(1001, 'admin endpoints need Authorization: Bearer <admin token>, or an operator console session');
    if (session.principal.role !== 'operator') throw new KlingError(1103, 'admin endpoints are for the operator; this console session is a tenant\'s');
  }

  /** The live session a request's cookie names, with who it is; throws when the cookie names an ended session. */
  async session(request: FastifyRequest): Promise<{ row: ConsoleSession; principal: ConsolePrincipal } | undefined> {
    const token = cookieOf(request, CONSOLE_COOKIE);
    if (!token) return undefined;
    const row = await findConsoleSession(this.db, token);
    const principal = row && (await this.principalOf(row));
    if (!row || !principal) {
      throw new KlingError(1002, 'the console session has ended (signed out, expired, or its key was revoked): sign in again');
    }
    if (!SAFE_METHODS.has(request.method)) {
      if (request.headers[CONSOLE_CSRF_HEADER] === undefined) {
        throw new KlingError(1103, `requests that change data with the console cookie need the ${CONSOLE_CSRF_HEADER} header (CSRF protection)`);
      }
      // Belt and braces: a browser names the page's origin on such requests; it must be this server's own.
      if (!sameOrigin(request)) throw new KlingError(1103, 'requests that change data with the console cookie must come from the console\'s own origin');
    }
    return { row, principal };
  }

  /** Checks a credential and opens a session for it; answers the cookie to set. */
  async signIn(body: unknown): Promise<{ token: string; info: ConsoleSessionInfo }> {
    const given = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const text = (key: string) => (typeof given[key] === 'string' && given[key] !== '' ? (given[key] as string) : undefined);
    const [apiKey, accessKey, secretKey, adminToken] = [text('api_key'), text('access_key'), text('secret_key'), text('admin_token')];
    if (adminToken !== undefined) {
      if (!this.isAdminToken(adminToken)) throw new KlingError(1002, 'admin_token is not the admin token');
      const { token, expiresAt } = await openConsoleSession(this.db, { role: 'operator', tenantId: null, credentialKind: 'admin_token', credential: adminCredential(adminToken) });
      return { token, info: { role: 'operator', tenant: null, expires_at: expiresAt } };
    }
    let tenant: Tenant;
    let session: { credentialKind: 'api_key' | 'access_key'; credential: string };
    if (apiKey !== undefined) {
      const found = await liveKey(this.db, 'api_key', hashApiKey(apiKey));
      if (!found) throw new KlingError(1002, 'api_key is unknown or revoked');
      tenant = found.tenant;
      session = { credentialKind: 'api_key', credential: hashApiKey(apiKey) };
    } else if (accessKey !== undefined && secretKey !== undefined) {
      const found = await liveKey(this.db, 'access_key', accessKey);
      if (!found || !sameText(found.key.secret_key ?? '', secretKey)) throw new KlingError(1002, 'access_key and secret_key do not match a live key pair');
      tenant = found.tenant;
      session = { credentialKind: 'access_key', credential: accessKey };
    } else {
      throw new KlingError(1201, 'sign in with api_key, or access_key and secret_key, or admin_token');
    }
    const { token, expiresAt } = await openConsoleSession(this.db, { role: 'tenant', tenantId: tenant.id, ...session });
    return { token, info: { role: 'tenant', tenant: { id: tenant.id, name: tenant.name }, expires_at: expiresAt } };
  }

  async signOut(request: FastifyRequest): Promise<void> {
    const token = cookieOf(request, CONSOLE_COOKIE);
    if (token) await closeConsoleSession(this.db, token);
  }

  /** Who a live session row is, or undefined when its credential no longer works. */
  private async principalOf(row: ConsoleSession): Promise<ConsolePrincipal | undefined> {
    if (row.credential_kind === 'admin_token') {
      return sameText(row.credential, adminCredential(this.adminToken)) ? { role: 'operator' } : undefined;
    }
    const found = await liveKey(this.db, row.credential_kind as 'api_key' | 'access_key', row.credential);
    return found && found.tenant.id === row.tenant_id ? { role: 'tenant', tenant: found.tenant } : undefined;
  }

  private isAdminToken(given: string): boolean {
    return sameText(given, this.adminToken);
  }
}

/** Compares two secrets in constant time (by their hashes, so lengths leak nothing either). */
function sameText(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** True when the request has no Origin header (not a browser's cross-origin call) or one naming this host. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    // request.host follows X-Forwarded-Host when the operator trusts a proxy, so it is the host the browser used.
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/** Sets (or, with token null, clears) the session cookie; Secure when the request came over HTTPS. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string | null, maxAgeSeconds: number): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  const value = token ?? '';
  const age = token === null ? 0 : maxAgeSeconds;
  reply.header('set-cookie', `${CONSOLE_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${age}${secure}`);
}
