// Turns `Authorization: Bearer …` into a tenant: an API key, or a JWT (HS256) whose `iss` is an access key and
// which is signed with that tenant's secret key (spec §1.3). Errors are Kling's 1001–1004, all HTTP 401.

import { KlingError, missingJwtClaim } from '@kiln/contract';
import { decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import type { Db } from '../store/open.ts';
import { tenantByAccessKey, tenantByApiKey, type Tenant } from '../store/tenants.ts';

/** Tenants change rarely; caching them by credential keeps the hot path to one hash. Entries live briefly so
 *  changes made by another process (the CLI) are seen soon. */
const CACHE_TTL_MS = 5_000;

export class Authenticator {
  private readonly byApiKey = new Map<string, { tenant: Tenant; until: number }>();
  private readonly byAccessKey = new Map<string, { tenant: Tenant; key: Uint8Array; until: number }>();

  constructor(private readonly db: Db) {}

  async authenticate(header: string | undefined): Promise<Tenant> {
    if (!header || !header.trim()) throw new KlingError(1001, 'Authorization header is empty');
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match) throw new KlingError(1002, 'Authorization header must be "Bearer <token>"');
    const token = match[1];
    return token.split('.').length === 3 ? this.fromJwt(token) : this.fromApiKey(token);
  }

  private async fromApiKey(apiKey: string): Promise<Tenant> {
    const cached = this.byApiKey.get(apiKey);
    if (cached && cached.until > Date.now()) return cached.tenant;
    const tenant = await tenantByApiKey(this.db, apiKey);
    if (!tenant) throw new KlingError(1002, 'Authorization is invalid: unknown API key');
    this.byApiKey.set(apiKey, { tenant, until: Date.now() + CACHE_TTL_MS });
    return tenant;
  }

  private async fromJwt(token: string): Promise<Tenant> {
    let claims: Record<string, unknown>;
    try {
      claims = decodeJwt(token);
    } catch {
      throw new KlingError(1002, 'Authorization is invalid: malformed JWT');
    }
    // Checked before any lookup: a token without `exp` would never expire, one without `iss` names no key.
    const missing = missingJwtClaim(claims);
    if (missing === 'iss') throw new KlingError(1002, 'Authorization is invalid: the JWT claim iss (your access key) is required');
    if (missing === 'exp') throw new KlingError(1002, 'Authorization is invalid: the JWT claim exp (expiry time) is required');
    const issuer = claims.iss as string;
    const entry = await this.accessKeyEntry(issuer);
    try {
      await jwtVerify(token, entry.key, { algorithms: ['HS256'] });
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new KlingError(1004, 'Authorization has expired (exp is in the past)');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf') {
        throw new KlingError(1003, 'Authorization is not yet valid (nbf is in the future)');
      }
      throw new KlingError(1002, 'Authorization is invalid: JWT signature or claims do not verify');
    }
    return entry.tenant;
  }

  private async accessKeyEntry(accessKey: string) {
    const cached = this.byAccessKey.get(accessKey);
    if (cached && cached.until > Date.now()) return cached;
    const tenant = await tenantByAccessKey(this.db, accessKey);
    if (!tenant) throw new KlingError(1002, 'Authorization is invalid: unknown access key');
    const entry = { tenant, key: new TextEncoder().encode(tenant.secret_key), until: Date.now() + CACHE_TTL_MS };
    this.byAccessKey.set(accessKey, entry);
    return entry;
  }
}
