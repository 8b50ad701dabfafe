// The `Authorization` header, three ways (spec §1.3): a static API key; an access key + secret key, from which
// HS256 JWTs are signed, cached, refreshed before they expire and re-signed when the server says 1003/1004
// (correcting for clock skew with the server's `Date`); or a caller's function returning a token.

import { signKlingJwt, KLING_JWT_TTL_SECONDS } from '@kiln/contract';

export interface CredentialSource {
  /** The header value, `Bearer <token>`. */
  authorization(): Promise<string>;
  /** Called once when the server rejected the token as expired or not yet valid; true if a new token may help. */
  renew(serverDateMs?: number): boolean;
}

export type TokenProvider = (context: { forceRefresh: boolean }) => string | Promise<string>;

export class ApiKeyCredentials implements CredentialSource {
  constructor(private readonly apiKey: string) {}
  async authorization() {
    return `Bearer ${this.apiKey}`;
  }
  renew() {
    return false;
  }
}

export interface JwtOptions {
  accessKey: string;
  secretKey: string;
  ttlSeconds?: number;
  /** Milliseconds since the epoch; the local clock by default. */
  clock?: () => number;
}

export class JwtCredentials implements CredentialSource {
  private cached?: { header: string; exp: number };
  private pending?: Promise<string>;
  /** Server time minus local time, learnt from a 1003/1004 answer's `Date` header. */
  private offsetMs = 0;
  private readonly ttl: number;
  private readonly clock: () => number;

  constructor(private readonly options: JwtOptions) {
    this.ttl = options.ttlSeconds ?? KLING_JWT_TTL_SECONDS;
    if (!(this.ttl >= 2)) throw new TypeError('jwtTtlSeconds must be at least 2');
    this.clock = options.clock ?? Date.now;
  }

  private nowSeconds() {
    return Math.floor((this.clock() + this.offsetMs) / 1000);
  }

  /** Refreshed when less than a quarter of its life (at most 5 minutes) is left, so no request carries a token
   *  that expires on its way. */
  private margin() {
    return Math.min(300, Math.floor(this.ttl / 4));
  }

  async authorization(): Promise<string> {
    if (this.cached && this.cached.exp - this.nowSeconds() > this.margin()) return this.cached.header;
    this.pending ??= (async () => {
      try {
        const { token, claims } = await signKlingJwt({
          accessKey: this.options.accessKey, secretKey: this.options.secretKey,
          nowSeconds: this.nowSeconds(), ttlSeconds: this.ttl,
        });
        this.cached = { header: `Bearer ${token}`, exp: claims.exp };
        return this.cached.header;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  renew(serverDateMs?: number): boolean {
    if (serverDateMs !== undefined && Number.isFinite(serverDateMs)) {
      const offset = serverDateMs - this.clock();
      // `Date` has one-second resolution: only a larger difference is skew worth correcting.
      if (Math.abs(offset) > 2_000) this.offsetMs = offset;
    }
    this.cached = undefined;
    return true;
  }
}

export class TokenFunctionCredentials implements CredentialSource {
  private force = false;
  constructor(private readonly provide: TokenProvider) {}

  async authorization() {
    const forceRefresh = this.force;
    this.force = false;
    const token = await this.provide({ forceRefresh });
    if (typeof token !== 'string' || !token) throw new TypeError('the token function must return a non-empty string');
    return `Bearer ${token}`;
  }

  renew() {
    this.force = true;
    return true;
  }
}

export interface CredentialOptions {
  apiKey?: string;
  accessKey?: string;
  secretKey?: string;
  token?: TokenProvider;
  jwtTtlSeconds?: number;
  clock?: () => number;
}

/** The first of: token function, API key, access key + secret key. */
export function credentialsFrom(options: CredentialOptions): CredentialSource {
  if (options.token) return new TokenFunctionCredentials(options.token);
  if (options.apiKey) return new ApiKeyCredentials(options.apiKey);
  if (options.accessKey && options.secretKey) {
    return new JwtCredentials({
      accessKey: options.accessKey, secretKey: options.secretKey, ttlSeconds: options.jwtTtlSeconds, clock: options.clock,
    });
  }
  if (options.accessKey || options.secretKey) throw new TypeError('accessKey and secretKey must be given together');
  throw new TypeError(
    'no credentials: pass apiKey, accessKey + secretKey, or token (or set KLING_API_KEY, or KLING_ACCESS_KEY and KLING_SECRET_KEY)',
  );
}
