// Kling's JWT (spec §1.3), signed with WebCrypto, checked by an independent JWT library.

import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode, decodeJwtClaims, signKlingJwt } from './jwt.ts';

describe('signKlingJwt', () => {
  it('makes the token of the spec: HS256, iss = access key, nbf = now-5, exp = now+1800', async () => {
    const { token, claims } = await signKlingJwt({ accessKey: 'AK', secretKey: 'SK', nowSeconds: 1_800_000_000 });
    expect(claims).toEqual({ iss: 'AK', nbf: 1_799_999_995, exp: 1_800_001_800 });
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode('SK'), { currentDate: new Date(1_800_000_000_000) });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual(claims);
    expect(decodeJwtClaims(token)).toEqual(claims);
  });

  it('does not verify with another secret', async () => {
    const { token } = await signKlingJwt({ accessKey: 'AK', secretKey: 'SK' });
    await expect(jwtVerify(token, new TextEncoder().encode('other'))).rejects.toThrow();
  });

  it('round-trips base64url and tells non-JWTs apart', () => {
    const bytes = new Uint8Array([0, 251, 255, 62, 63, 1]);
    expect(base64UrlEncode(bytes)).not.toMatch(/[+/=]/);
    expect([...base64UrlDecode(base64UrlEncode(bytes))]).toEqual([...bytes]);
    expect(decodeJwtClaims('kiln_apikey')).toBeUndefined();
  });
});
