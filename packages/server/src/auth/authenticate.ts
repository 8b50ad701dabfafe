// Turns `Authorization: Bearer …` into a tenant: an API key, or a JWT (HS256) whose `iss` is an access key and
// which is signed with that tenant's secret key (spec §1.3). Errors are Kling's 1001–1004, all HTTP 401.

import { KlingError, missingJwtClaim } from '@kiln/contract';
import { decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import { hashApiKey } from '../accounts/credentials.ts';
import { changeStamp } from '../store/change-stamp.ts';
import type { Db } from '../store/open.ts';
import { liveKey, touchDue, touchKey, type KeyKind, type TenantKey } from '../store/tenant-keys.ts';
import type { Tenant } from '../store/tenants.ts';

type Found = { key: TenantKey; tenant: Tenant };

const MAX_KEPT = 10_000;
const BEARER = 'Bearer ';

/**
 * A request's key is read from the store (one indexed, precompiled point query), and the answer kept while the
 * store's change stamp (store/change-stamp.ts) stays the same: a write by this process drops what was kept at once;
 * a commit by another process within 50 ms on the embedded store (the CLI on the data directory), within a second
 * on a shared one (another API process, the CLI). A revoked key is refused from then on, and a poll costs no query
 * (measured: the lookup was a sixth of a GET's time on the embedded store, one of a GET's two queries on PostgreSQL).
 */
export class Authenticator {
  private readonly stamp: (() => string) | undefined;
  /** By kind, then by what the request carried (an API key, or an access key): no key string built per request. */
  private readonly kept: Record<KeyKind, Map<string, Found>> = { api_key: new Map(), access_key: new Map() };
  private keptAt = '';

  constructor(private readonly db: Db) {
    this.stamp = changeStamp(db);
  }

  /** What is kept, emptied first if the store changed since it was kept. */
  private keptNow(kind: KeyKind): Map<string, Found> {
    const now = this.stamp!();
    if (now !== this.keptAt) {
      this.kept.api_key.clear();
      this.kept.access_key.clear();
      this.keptAt = now;
    }
    return this.kept[kind];
  }

  /**
   * The tenant of a request whose API key was kept from an earlier one, with no promise and no store access; a
   * poll, the commonest request, is served this way. Undefined when the key is not kept (authenticate() then tells).
   */
  keptTenant(header: string): Tenant | undefined {
    if (!this.stamp || !header.startsWith(BEARER)) return undefined;
    const found = this.keptNow('api_key').get(header.slice(BEARER.length));
    return found && this.used(found);
  }

  /**
   * `given` is what the request carried; `stored` turns it into what the store holds (an API key's hash). What is
   * kept is named by what was given, so a kept key costs no hashing either (hashing was an eighth of a GET's time).
   */
  private async lookup(kind: KeyKind, given: string, stored: (given: string) => string = (value) => value): Promise<Found | undefined> {
    if (!this.stamp) return liveKey(this.db, kind, stored(given));
    const kept = this.keptNow(kind);
    const before = this.keptAt;
    const found = kept.get(given) ?? await liveKey(this.db, kind, stored(given));
    // Kept only if nothing was written while it was read, and never more than a bounded number.
    if (found && this.stamp() === before && kept.size < MAX_KEPT) kept.set(given, found);
    return found;
  }

  async authenticate(header: string | undefined): Promise<Tenant> {
    if (!header || !header.trim()) throw new KlingError(1001, 'Authorization header is empty');
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match) throw new KlingError(1002, 'Authorization header must be "Bearer <token>"');
    const token = match[1];
    return token.split('.').length === 3 ? this.fromJwt(token) : this.fromApiKey(token);
  }

  private async fromApiKey(apiKey: string): Promise<Tenant> {
    const found = await this.lookup('api_key', apiKey, hashApiKey);
    if (!found) throw new KlingError(1002, 'Authorization is invalid: unknown or revoked API key');
    return this.used(found);
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
    const found = await this.lookup('access_key', claims.iss as string);
    if (!found) throw new KlingError(1002, 'Authorization is invalid: unknown or revoked access key');
    try {
      await jwtVerify(token, new TextEncoder().encode(found.key.secret_key ?? ''), { algorithms: ['HS256'] });
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new KlingError(1004, 'Authorization has expired (exp is in the past)');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf') {
        throw new KlingError(1003, 'Authorization is not yet valid (nbf is in the future)');
      }
      throw new KlingError(1002, 'Authorization is invalid: JWT signature or claims do not verify');
    }
    return this.used(found);
  }

  private used(found: Found): Tenant {
    // The last-used stamp is bookkeeping: a store too busy to write it must not fail the request it describes.
    if (touchDue(found.key)) touchKey(this.db, found.key).catch(() => {});
    return found.tenant;
  }
}
