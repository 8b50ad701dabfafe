// KILN_CORS_ORIGINS: the CORS headers a browser needs, for the listed origins only, on answers and errors alike,
// and preflights answered; without it kiln sends none, as Kling does.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const APP = 'http://127.0.0.1:5173';
const OTHER = 'https://elsewhere.example.com';
const T2V = '/v1/videos/text2video';

let server: TestServer;
let plain: TestServer;
beforeAll(async () => {
  [server, plain] = await Promise.all([startTestServer({ corsOrigins: [APP] }), startTestServer()]);
});
afterAll(async () => {
  await Promise.all([server?.close(), plain?.close()]);
});

const preflight = (base: string, origin: string) => fetch(base + T2V, {
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin', async () => {
    const res = await preflight(server.url, APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('marks answers and errors for an allowed origin, exposing the headers the SDK reads', async () => {
    const ok = await server.api('GET', `${T2V}?pageNum=1&pageSize=1`, { headers: { origin: APP } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
    expect(ok.headers.get('access-control-expose-headers')).toContain('Retry-After');
    const refused = await server.api('GET', `${T2V}/1`, { token: 'wrong', headers: { origin: APP } });
    expect(refused.status).toBe(401);
    expect(refused.json.code).toBe(1002);
    expect(refused.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('sends nothing for another origin or when KILN_CORS_ORIGINS is not set', async () => {
    const other = await server.api('GET', `${T2V}?pageNum=1&pageSize=1`, { headers: { origin: OTHER } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(server.url, OTHER)).headers.get('access-control-allow-origin')).toBeNull();
    const unset = await plain.api('GET', `${T2V}?pageNum=1&pageSize=1`, { headers: { origin: APP } });
    expect(unset.headers.get('access-control-allow-origin')).toBeNull();
    const unsetPreflight = await preflight(plain.url, APP);
    expect(unsetPreflight.status).not.toBe(204);
    expect(unsetPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
