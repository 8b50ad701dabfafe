// The operator API of tenants, keys and packs (/admin/tenants/...): a team adds tenants and named keys, revokes one
// key without touching the others, gives packs, changes limits; every failure is a Kling envelope naming the field.

import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { TaskStore } from '../packages/server/src/store/tasks.ts';

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await startTestServer({ workers: false });
  admin = server.kiln.adminToken;
});
afterAll(async () => { await server.close(); });

const LIST = '/v1/videos/text2video?pageSize=1';
const asAdmin = (method: string, route: string, body?: unknown) => server.api(method, route, { token: admin, body });

async function jwt(accessKey: string, secretKey: string) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(accessKey)
    .setNotBefore(now - 5).setExpirationTime(now + 1800).sign(new TextEncoder().encode(secretKey));
}

describe('/admin/tenants', () => {
  it('refuses callers without the admin token: 1001 without a header, 1002 with a tenant API key', async () => {
    const none = await server.api('GET', '/admin/tenants', { token: null });
    expect([none.status, none.json.code]).toEqual([401, 1001]);
    const tenantKey = await server.api('GET', '/admin/tenants');
    expect([tenantKey.status, tenantKey.json.code]).toEqual([401, 1002]);
  });

  it('creates a tenant whose credentials work at once, and lists and shows it without secrets', async () => {
    const created = await asAdmin('POST', '/admin/tenants', { name: 'acme', concurrency: { video: 3 }, timing: 'instant' });
    expect(created.status).toBe(200);
    const creds = created.json.data;
    expect(creds.api_key).toMatch(/^kiln_/);
    expect((await server.api('GET', LIST, { token: creds.api_key })).json.code).toBe(0);
    expect((await server.api('GET', LIST, { token: await jwt(creds.access_key, creds.secret_key) })).json.code).toBe(0);

    const list = await asAdmin('GET', '/admin/tenants');
    const acme = list.json.data.find((t: any) => t.name === 'acme');
    expect(acme).toMatchObject({ concurrency: { video: 3, image: 20, 'try-on': 5 }, timing: 'instant', signed_callbacks: true });

    const shown = await asAdmin('GET', '/admin/tenants/acme');
    expect(shown.json.data.keys.map((k: any) => [k.name, k.type])).toEqual([['default', 'api_key'], ['default-ak', 'access_key']]);
    expect(shown.json.data.packs.map((p: any) => p.type).sort()).toEqual(['image', 'try-on', 'video']);
    expect(JSON.stringify(shown.json)).not.toContain(creds.secret_key);
    expect(JSON.stringify(shown.json)).not.toContain(creds.api_key);
  });

  it('revokes one key: refused with 1002 on the very next request while the tenant\'s other keys keep working', async () => {
    const created = (await asAdmin('POST', '/admin/tenants', { name: 'rotating' })).json.data;
    const ci = (await asAdmin('POST', '/admin/tenants/rotating/keys', { name: 'ci' })).json.data;
    const pair = (await asAdmin('POST', '/admin/tenants/rotating/keys', { name: 'backend', type: 'access_key' })).json.data;
    expect(ci.api_key).toMatch(/^kiln_/);
    expect(pair.secret_key).toBeTruthy();
    // Used before the revocation: a cache in front of the store would still hold it.
    expect((await server.api('GET', LIST, { token: ci.api_key })).json.code).toBe(0);
    const backendJwt = await jwt(pair.access_key, pair.secret_key);
    expect((await server.api('GET', LIST, { token: backendJwt })).json.code).toBe(0);

    const revoked = await asAdmin('DELETE', '/admin/tenants/rotating/keys/ci');
    expect(revoked.json.data).toMatchObject({ name: 'ci', type: 'api_key' });
    expect(revoked.json.data.revoked_at).toBeGreaterThan(0);
    const refused = await server.api('GET', LIST, { token: ci.api_key });
    expect([refused.status, refused.json.code]).toEqual([401, 1002]);
    expect(refused.json.message).toContain('revoked');
    expect((await server.api('GET', LIST, { token: created.api_key })).json.code).toBe(0);
    expect((await server.api('GET', LIST, { token: backendJwt })).json.code).toBe(0);

    // As HTTP wrappers send it: `Content-Type: application/json` on a DELETE without a body.
    const bodiless = await server.api('DELETE', '/admin/tenants/rotating/keys/backend', { token: admin, headers: { 'content-type': 'application/json' } });
    expect(bodiless.json.code).toBe(0);
    expect((await server.api('GET', LIST, { token: backendJwt })).json.code).toBe(1002);

    const keys = (await asAdmin('GET', '/admin/tenants/rotating/keys')).json.data;
    const byName = Object.fromEntries(keys.map((k: any) => [k.name, k]));
    expect(byName.ci.revoked_at).not.toBeNull();
    expect(byName.ci.last_used_at).not.toBeNull();
    expect(byName.default.revoked_at).toBeNull();
    // A revoked key's name can be given again.
    expect((await asAdmin('POST', '/admin/tenants/rotating/keys', { name: 'ci' })).json.code).toBe(0);
    // A live key and a revoked one now share the name: a third is refused, naming it, not a 5xx.
    const third = await asAdmin('POST', '/admin/tenants/rotating/keys', { name: 'ci' });
    expect([third.status, third.json.code]).toEqual([400, 1201]);
    const again = await asAdmin('DELETE', '/admin/tenants/rotating/keys/ci');
    expect(again.json.code).toBe(0);
    const twice = await asAdmin('DELETE', '/admin/tenants/rotating/keys/ci');
    expect([twice.status, twice.json.code]).toEqual([404, 1203]);
  });

  it('changes limits and timing, and gives packs with an expiry', async () => {
    await asAdmin('POST', '/admin/tenants', { name: 'growing' });
    const changed = await asAdmin('PATCH', '/admin/tenants/growing', { concurrency: { video: 7, 'try-on': 2 }, timing: 'realistic' });
    expect(changed.json.data).toMatchObject({ concurrency: { video: 7, image: 20, 'try-on': 2 }, timing: 'realistic' });
    const reset = await asAdmin('PATCH', '/admin/tenants/growing', { timing: null });
    expect(reset.json.data.timing).toBeNull();

    const expires = Date.now() + 7 * 24 * 3600_000;
    const pack = await asAdmin('POST', '/admin/tenants/growing/packs', { type: 'video', units: 1000, expires_at: expires });
    expect(pack.json.data).toMatchObject({ type: 'video', total_units: 1000, remaining_units: 1000, invalid_time: expires, status: 'online' });
    const packs = (await asAdmin('GET', '/admin/tenants/growing/packs')).json.data;
    expect(packs.filter((p: any) => p.type === 'video').map((p: any) => p.total_units)).toContain(1000);
  });

  it('answers bad input with 1201 naming the field, unknown names with 1203, never a 5xx', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/admin/tenants', { name: 'bad name' }, 1201, 'name'],
      ['POST', '/admin/tenants', { name: 'acme' }, 1201, 'already exists'],
      ['POST', '/admin/tenants', { name: 'x', concurrency: { vidoe: 1 } }, 1201, 'concurrency.vidoe'],
      ['POST', '/admin/tenants', { name: 'x', concurrency: { video: 0 } }, 1201, 'concurrency.video'],
      ['POST', '/admin/tenants', { name: 'x', timing: 'slow' }, 1201, 'timing'],
      ['PATCH', '/admin/tenants/nobody', { timing: 'fast' }, 1203, 'nobody'],
      ['POST', '/admin/tenants/acme/keys', { name: 'default' }, 1201, 'default'],
      ['POST', '/admin/tenants/acme/keys', { name: 'k', type: 'password' }, 1201, 'type'],
      ['POST', '/admin/tenants/acme/packs', { type: 'audio', units: 5 }, 1201, 'type'],
      ['POST', '/admin/tenants/acme/packs', { type: 'video', units: -5 }, 1201, 'units'],
      ['POST', '/admin/tenants/acme/packs', { type: 'video', units: 5, expires_at: 1000 }, 1201, 'expires_at'],
      ['DELETE', '/admin/tenants/acme/keys/nope', undefined, 1203, 'nope'],
      ['GET', '/admin/tenants/nobody', undefined, 1203, 'nobody'],
    ];
    for (const [method, route, body, code, words] of cases) {
      const res = await asAdmin(method, route, body);
      expect({ route, body, code: res.json.code }).toEqual({ route, body, code });
      expect(res.json.message).toContain(words);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('gives two racing creates of one name one success and one 1201, never a 5xx', async () => {
    const tenants = await Promise.all([1, 2, 3].map(() => asAdmin('POST', '/admin/tenants', { name: 'racing' })));
    expect(tenants.map((r) => r.json.code).sort()).toEqual([0, 1201, 1201]);
    const keys = await Promise.all([1, 2, 3].map(() => asAdmin('POST', '/admin/tenants/racing/keys', { name: 'deploy' })));
    expect(keys.map((r) => r.json.code).sort()).toEqual([0, 1201, 1201]);
  });

  it('removes a tenant: its keys stop working; refused while it has unfinished tasks', async () => {
    const creds = (await asAdmin('POST', '/admin/tenants', { name: 'leaving' })).json.data;
    const task = await server.api('POST', '/v1/videos/text2video', { token: creds.api_key, body: { prompt: 'a boat' } });
    expect(task.json.code).toBe(0);
    // workers are off: the task stays submitted.
    const busy = await asAdmin('DELETE', '/admin/tenants/leaving');
    expect([busy.status, busy.json.code]).toEqual([400, 1201]);
    expect(busy.json.message).toContain('unfinished');
    await new TaskStore(server.kiln.db).update(task.json.data.task_id, { status: 'failed' });
    const removed = await asAdmin('DELETE', '/admin/tenants/leaving');
    expect(removed.json.data).toEqual({ name: 'leaving', removed: true });
    expect((await server.api('GET', LIST, { token: creds.api_key })).json.code).toBe(1002);
    expect((await asAdmin('GET', '/admin/tenants/leaving')).json.code).toBe(1203);
  });

  it('is documented in /openapi.json with the simulator, health and metrics endpoints', async () => {
    const doc = (await server.api('GET', '/openapi.json', { token: null })).json;
    for (const path of ['/admin/tenants', '/admin/tenants/{name}', '/admin/tenants/{name}/keys', '/admin/tenants/{name}/keys/{key}',
      '/admin/tenants/{name}/packs', '/admin/simulator/rules', '/simulator/tasks/{task_id}/complete', '/simulator/tasks/{task_id}/advance',
      '/simulator/tasks/complete', '/healthz', '/readyz', '/metrics', '/health']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/admin/tenants'].post.requestBody.content['application/json'].schema.properties.concurrency).toBeDefined();
    expect(doc.components.securitySchemes.adminToken.scheme).toBe('bearer');
  });
});
