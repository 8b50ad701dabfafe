// HS256 JWTs as Kling's AccessKey/SecretKey authentication wants them (spec §1.3): header {"alg":"HS256","typ":"JWT"},
// iss = access key, nbf = now − 5 s, exp = now + 1800 s, signed with the secret key's UTF-8 bytes. WebCrypto only,
// so the SDK signs in Node, browsers and edge runtimes alike.

const encoder = new TextEncoder();

export interface KlingJwtClaims {
  iss: string;
  exp: number;
  nbf: number;
}

export interface SignKlingJwtOptions {
  accessKey: string;
  secretKey: string;
  /** Seconds since the epoch; defaults to the local clock. */
  nowSeconds?: number;
  /** Lifetime; Kling's sample uses 1800 s (30 min). */
  ttlSeconds?: number;
  /** How far `nbf` lies before now, to absorb small clock differences; Kling's sample uses 5 s. */
  notBeforeSeconds?: number;
}

export const KLING_JWT_TTL_SECONDS = 1800;

/**
 * Claims every token must carry: `iss` names the access key whose secret signs it, and `exp` bounds its life —
 * a token without `exp` would be valid forever once leaked. `nbf` stays optional (the spec's sample sets it, but
 * a token without it is merely valid from the start).
 */
export const KLING_JWT_REQUIRED_CLAIMS = ['iss', 'exp'] as const;

/** The first required claim a token's payload lacks (or holds with the wrong type), or undefined. */
export function missingJwtClaim(claims: Record<string, unknown>): (typeof KLING_JWT_REQUIRED_CLAIMS)[number] | undefined {
  if (typeof claims.iss !== 'string' || claims.iss === '') return 'iss';
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return 'exp';
  return undefined;
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlDecode(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const segment = (value: object) => base64UrlEncode(encoder.encode(JSON.stringify(value)));

/** A fresh token and the claims it carries (callers cache it until shortly before `exp`). */
export async function signKlingJwt(options: SignKlingJwtOptions): Promise<{ token: string; claims: KlingJwtClaims }> {
  const now = Math.floor(options.nowSeconds ?? Date.now() / 1000);
  const claims: KlingJwtClaims = {
    iss: options.accessKey,
    exp: now + (options.ttlSeconds ?? KLING_JWT_TTL_SECONDS),
    nbf: now - (options.notBeforeSeconds ?? 5),
  };
  const input = `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment(claims)}`;
  const key = await crypto.subtle.importKey('raw', encoder.encode(options.secretKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(input));
  return { token: `${input}.${base64UrlEncode(new Uint8Array(mac))}`, claims };
}

/** The payload of a JWT, unverified (for showing what a token says); undefined when it is not a JWT. */
export function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(new TextDecoder().decode(base64UrlDecode(parts[1])));
    return typeof payload === 'object' && payload !== null ? payload : undefined;
  } catch {
    return undefined;
  }
}
