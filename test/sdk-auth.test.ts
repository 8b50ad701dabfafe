// Credentials and providers of the SDK against a real kiln server: JWTs signed from the access key and secret key
// (cached, refreshed before expiry, re-signed once on 1004 with the server's clock), a token function,
// credentials from the environment, and the reseller path styles.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwtClaims } from '@kiln/contract';
import { AuthenticationError, Kling } from '@kiln/sdk';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { clientFor } from './helpers/sdk-samples.ts';
import { countingFetch } from './helpers/sdk-proxy.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server?.close(); });

const omni = { prompt: 'a harbour at night', aspect_ratio: '16:9', mode: 'std', duration: '3' } as const;
const tokenOf = (authorization?: string) => authorization!.replace(/^Bearer /, '');

function jwtClient(extra: Partial<ConstructorParameters<typeof Kling>[0]> = {}) {
  const counter = countingFetch();
  const client = clientFor(server, {
    apiKey: undefined, accessKey: server.creds.access_key, secretKey: server.creds.secret_key, fetch: counter.fetch, ...extra,
  });
  return { client, calls: counter.calls };
}

describe('access key + secret key', () => {
  it('signs a JWT as Kling documents (HS256, iss, nbf = now-5, exp = now+1800) and reuses it', async () => {
    const { client, calls } = jwtClient();
    const before = Math.floor(Date.now() / 1000);
    const created = await client.videos.omniVideo.create(omni);
    await client.videos.omniVideo.get(created.task_id);
    const after = Math.floor(Date.now() / 1000);
    expect(calls).toHaveLength(2);
    expect(calls[0].authorization).toBe(calls[1].authorization);
    const token = tokenOf(calls[0].authorization);
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwtClaims(token)!;
    expect(claims.iss).toBe(server.creds.access_key);
    expect(claims.exp as number - (claims.nbf as number)).toBe(1805);
    // Signed between the two readings of the clock, however long the requests took.
    expect(claims.exp as number - 1800).toBeGreaterThanOrEqual(before);
    expect(claims.exp as number - 1800).toBeLessThanOrEqual(after);
    expect(JSON.stringify(calls)).not.toContain(server.creds.secret_key);
  });

  it('refreshes the token before it expires', async () => {
    // The client's clock stands still, then jumps 3.5 s: within the 4 s token's last second, whatever the machine's speed.
    const start = Date.now();
    let elapsedMs = 0;
    const { client, calls } = jwtClient({ jwtTtlSeconds: 4, clock: () => start + elapsedMs });
    await client.videos.omniVideo.list({ pageSize: 1 });
    await client.videos.omniVideo.list({ pageSize: 1 });
    elapsedMs = 3_500;
    await client.videos.omniVideo.list({ pageSize: 1 });
    const tokens = calls.map((c) => c.authorization);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).not.toBe(tokens[0]);
    expect(decodeJwtClaims(tokenOf(tokens[2]))!.exp as number).toBeGreaterThan(decodeJwtClaims(tokenOf(tokens[0]))!.exp as number);
  });

  it('re-signs once on 1004, using the server clock when the local clock is off', async () => {
    // This machine's clock runs two hours behind: every token it signs has already expired for the server.
    const { client, calls } = jwtClient({ clock: () => Date.now() - 2 * 3600_000 });
    const before = Math.floor(Date.now() / 1000);
    const task = await client.videos.omniVideo.create(omni);
    const after = Math.floor(Date.now() / 1000);
    expect(task.task_id).toMatch(/^\d{18,19}$/);
    expect(calls).toHaveLength(2);
    const second = decodeJwtClaims(tokenOf(calls[1].authorization))!;
    // The server's Date header has whole seconds, so the corrected clock is within a second of the real one.
    expect(second.exp as number - 1800).toBeGreaterThanOrEqual(before - 1);
    expect(second.exp as number - 1800).toBeLessThanOrEqual(after + 1);
    // Only one task was made by the two POSTs: the first was refused before its body was read.
    const mine = (await client.videos.omniVideo.list({ pageSize: 50 })).filter((t) => t.task_id === task.task_id);
    expect(mine).toHaveLength(1);
  });

  it('does not retry a wrong secret (1002)', async () => {
    const { client, calls } = jwtClient({ secretKey: 'not-the-secret' });
    const error = await client.videos.omniVideo.list().catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe(1002);
    expect(calls).toHaveLength(1);
  });
});

describe('a token function', () => {
  it('is asked before each request, and asked to refresh after 1004 (once)', async () => {
    const asked: boolean[] = [];
    const expired = await (await import('@kiln/contract')).signKlingJwt({
      accessKey: server.creds.access_key, secretKey: server.creds.secret_key, nowSeconds: Math.floor(Date.now() / 1000) - 7200,
    });
    const client = clientFor(server, {
      apiKey: undefined,
      token: ({ forceRefresh }) => {
        asked.push(forceRefresh);
        return expired.token;
      },
    });
    const error = await client.videos.omniVideo.list().catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe(1004);
    expect(asked).toEqual([false, true]);

    const good = clientFor(server, { apiKey: undefined, token: async () => server.creds.api_key });
    expect(Array.isArray(await good.videos.omniVideo.list())).toBe(true);
  });
});

describe('configuration', () => {
  it('reads KLING_API_KEY and KLING_BASE_URL from the environment', async () => {
    const client = new Kling({ env: { KLING_API_KEY: server.creds.api_key, KLING_BASE_URL: server.url } });
    expect(client.provider.baseUrl).toBe(server.url);
    expect(Array.isArray(await client.images.omniImage.list())).toBe(true);
  });

  it('defaults to Kling in Singapore, and knows Beijing', () => {
    expect(new Kling({ apiKey: 'k', env: {} }).provider).toEqual({ baseUrl: 'https://api-singapore.klingai.com', prefix: '/v1', style: 'official' });
    expect(new Kling({ apiKey: 'k', env: {}, provider: 'kling-beijing' }).provider.baseUrl).toBe('https://api-beijing.klingai.com');
  });

  it('refuses to start without credentials, naming the ways to give them', () => {
    expect(() => new Kling({ env: {} })).toThrow(/KLING_API_KEY/);
  });

  it.each([
    [{ kind: 'kling-prefix' } as const, '/kling/v1/videos/omni-video'],
    [{ kind: 'ai-endpoint', endpoint: 'my-deployment' } as const, '/v1/ai/my-deployment/kling/videos/omni-video'],
  ])('speaks the reseller path style %j', async (provider, path) => {
    const counter = countingFetch();
    const client = clientFor(server, { provider, fetch: counter.fetch });
    const created = await client.videos.omniVideo.create(omni);
    const task = await client.videos.omniVideo.get(created.task_id);
    expect(task.task_id).toBe(created.task_id);
    expect(counter.calls.map((c) => new URL(c.url).pathname)).toEqual([path, `${path}/${created.task_id}`]);
  });
});
