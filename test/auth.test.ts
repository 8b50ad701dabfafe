// Authentication (spec §1.3) and tenant isolation: API keys and JWTs signed with a tenant's secret key; no
// tenant can see or touch another's tasks, by task id or by external id.

import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server.close(); });

const OMNI = '/v1/videos/omni-video';
const body = { prompt: 'a lighthouse at dusk', aspect_ratio: '16:9' };

async function jwt(accessKey: string, secretKey: string, claims: { nbf?: number; exp?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(accessKey)
    .setNotBefore(claims.nbf ?? now - 5)
    .setExpirationTime(claims.exp ?? now + 1800)
    .sign(new TextEncoder().encode(secretKey));
}

describe('credentials', () => {
  it('accepts the API key', async () => {
    const res = await server.api('POST', OMNI, { body });
    expect(res.status).toBe(200);
    expect(res.json.code).toBe(0);
  });

  it('accepts a JWT signed as Kling documents (HS256, iss = access key, nbf = now-5, exp = now+1800)', async () => {
    const token = await jwt(server.creds.access_key, server.creds.secret_key);
    const res = await server.api('GET', `${OMNI}?pageSize=1`, { token });
    expect(res.status).toBe(200);
    expect(res.json.code).toBe(0);
  });

  const failures: [string, () => Promise<Record<string, string>>, number][] = [
    ['missing header', async () => ({}), 1001],
    ['empty header', async () => ({ authorization: '' }), 1001],
    ['not Bearer', async () => ({ authorization: `Basic ${server.creds.api_key}` }), 1002],
    ['two spaces after Bearer', async () => ({ authorization: `Bearer  ${server.creds.api_key}` }), 1002],
    ['unknown API key', async () => ({ authorization: 'Bearer kiln_nope' }), 1002],
    ['garbage JWT', async () => ({ authorization: 'Bearer aaa.bbb.ccc' }), 1002],
    ['JWT with a wrong signature', async () => ({ authorization: `Bearer ${await jwt(server.creds.access_key, 'wrong-secret')}` }), 1002],
    ['JWT of an unknown access key', async () => ({ authorization: `Bearer ${await jwt('nobody', server.creds.secret_key)}` }), 1002],
    ['JWT not yet valid (nbf in the future)', async () => ({ authorization: `Bearer ${await jwt(server.creds.access_key, server.creds.secret_key, { nbf: Math.floor(Date.now() / 1000) + 600 })}` }), 1003],
    ['expired JWT', async () => ({ authorization: `Bearer ${await jwt(server.creds.access_key, server.creds.secret_key, { nbf: Math.floor(Date.now() / 1000) - 4000, exp: Math.floor(Date.now() / 1000) - 60 })}` }), 1004],
  ];
  for (const [name, headers, code] of failures) {
    it(`${name} → ${code}, HTTP 401, before the body is read`, async () => {
      const res = await server.api('POST', OMNI, { token: null, headers: await headers(), rawBody: '{not json' });
      expect(res.status).toBe(401);
      expect(res.json.code).toBe(code);
      expect(res.json.request_id).toBeTruthy();
    });
  }

  it('refuses a JWT without exp (it would never expire) or without iss, saying which claim is required', async () => {
    const key = new TextEncoder().encode(server.creds.secret_key);
    const now = Math.floor(Date.now() / 1000);
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(server.creds.access_key).setNotBefore(now - 5).sign(key);
    const noIss = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setNotBefore(now - 5).setExpirationTime(now + 1800).sign(key);
    for (const [token, claim] of [[noExp, 'exp'], [noIss, 'iss']]) {
      const res = await server.api('GET', OMNI, { token });
      expect([res.status, res.json.code]).toEqual([401, 1002]);
      expect(res.json.message).toMatch(new RegExp(`claim ${claim} .*is required`));
    }
  });

  it('never echoes a secret in an error', async () => {
    const token = await jwt(server.creds.access_key, 'wrong-secret');
    const res = await server.api('GET', OMNI, { token });
    expect(JSON.stringify(res.json)).not.toContain(token);
    expect(JSON.stringify(res.json)).not.toContain(server.creds.secret_key);
  });
});

describe('tenant isolation', () => {
  it('another tenant cannot see a task by id, by external id, nor in its list; external ids are per tenant', async () => {
    const other = await server.addTenant('isolation-other');
    const mine = await server.api('POST', OMNI, { body: { ...body, external_task_id: 'shared-name' } });
    expect(mine.json.code).toBe(0);
    const id = mine.json.data.task_id;

    for (const [route, asked] of [[`${OMNI}/${id}`, id], [`${OMNI}/shared-name`, 'shared-name'], [`${OMNI}?external_task_id=shared-name`, 'shared-name']]) {
      const res = await server.api('GET', route, { token: other.api_key });
      // The same answer as for a task that does not exist at all.
      expect([res.status, res.json.code, res.json.message]).toEqual([400, 1201, `Task not found by id/external id: ${asked}`]);
    }
    const list = await server.api('GET', OMNI, { token: other.api_key });
    expect(list.json.data).toEqual([]);

    // The same external id is free for the other tenant, and each sees only its own.
    const theirs = await server.api('POST', OMNI, { token: other.api_key, body: { ...body, external_task_id: 'shared-name' } });
    expect(theirs.json.code).toBe(0);
    const seen = await server.api('GET', `${OMNI}/shared-name`, { token: other.api_key });
    expect(seen.json.data.task_id).toBe(theirs.json.data.task_id);
    const seenByMe = await server.api('GET', `${OMNI}/shared-name`);
    expect(seenByMe.json.data.task_id).toBe(id);
  });
});
