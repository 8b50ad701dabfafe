// JWT credentials: cached, refreshed before expiry, and re-signed with the server's clock after 1003/1004.

import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeJwtClaims } from '@kiln/contract';
import { credentialsFrom, JwtCredentials } from './credentials.ts';

const secretKey = 'sk-test-secret';
const claimsOf = (header: string) => decodeJwtClaims(header.slice('Bearer '.length))!;

describe('JwtCredentials', () => {
  it('signs tokens that a standard JWT library verifies', async () => {
    const header = await new JwtCredentials({ accessKey: 'ak', secretKey }).authorization();
    const { payload, protectedHeader } = await jwtVerify(header.slice(7), new TextEncoder().encode(secretKey));
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload.iss).toBe('ak');
  });

  it('reuses a token until a quarter of its life (at most 5 min) is left', async () => {
    let now = 1_000_000_000_000;
    const creds = new JwtCredentials({ accessKey: 'ak', secretKey, clock: () => now });
    const first = await creds.authorization();
    now += 1_400_000;
    expect(await creds.authorization()).toBe(first);
    now += 200_000;
    const second = await creds.authorization();
    expect(second).not.toBe(first);
    expect(claimsOf(second).exp).toBe(Math.floor(now / 1000) + 1800);
  });

  it('signs once for many requests at the same time', async () => {
    const creds = new JwtCredentials({ accessKey: 'ak', secretKey });
    const headers = await Promise.all(Array.from({ length: 10 }, () => creds.authorization()));
    expect(new Set(headers).size).toBe(1);
  });

  it("after renew(serverDate), signs with the server's time", async () => {
    const local = 1_000_000_000_000;
    const creds = new JwtCredentials({ accessKey: 'ak', secretKey, clock: () => local });
    await creds.authorization();
    expect(creds.renew(local + 3_600_000)).toBe(true);
    expect(claimsOf(await creds.authorization()).nbf).toBe(Math.floor(local / 1000) + 3600 - 5);
  });
});

describe('credentialsFrom', () => {
  it('prefers a token function, then an API key, then the key pair; refuses half a pair', async () => {
    expect(await credentialsFrom({ token: () => 't', apiKey: 'k' }).authorization()).toBe('Bearer t');
    expect(await credentialsFrom({ apiKey: 'k', accessKey: 'a', secretKey: 's' }).authorization()).toBe('Bearer k');
    expect(claimsOf(await credentialsFrom({ accessKey: 'a', secretKey: 's' }).authorization()).iss).toBe('a');
    expect(() => credentialsFrom({ accessKey: 'a' })).toThrow(/together/);
    expect(() => credentialsFrom({})).toThrow(/no credentials/);
  });
});
