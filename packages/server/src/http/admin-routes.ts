// The operator API of tenants, their keys and resource packs (contract: operator.ts, documented in openapi.json):
//   GET|POST          /admin/tenants
//   GET|PATCH|DELETE  /admin/tenants/{name}
//   GET|POST          /admin/tenants/{name}/keys
//   DELETE            /admin/tenants/{name}/keys/{key}     revoke one key
//   GET|POST          /admin/tenants/{name}/packs
//   GET|POST          /admin/upstreams
//   GET|PATCH|DELETE  /admin/upstreams/{name}
// Each needs `Authorization: Bearer <admin token>` and answers with the Kling envelope.

import { timingSafeEqual } from 'node:crypto';
import { KlingError, successEnvelope } from '@kiln/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  addKey, addTenant, addTenantPack, dropTenant, listKeys, listPacks, listTenantViews, revokeTenantKey, setTenant, showTenant,
} from '../accounts/tenant-admin.ts';
import { addUpstream, dropUpstream, listUpstreamViews, setUpstream, showUpstream } from '../accounts/upstream-admin.ts';
import type { Db } from '../store/open.ts';
import type { SecretBox } from '../store/secret-box.ts';
import { upstreamCosts, type CostsQuery } from '../accounts/upstream-costs.ts';

/** Refuses a request without the admin token: 1001 without a header, 1002 with a wrong one (compared in constant time). */
export function requireAdminToken(request: FastifyRequest, adminToken: string): void {
  const header = request.headers.authorization;
  if (!header?.trim()) throw new KlingError(1001, 'admin endpoints need Authorization: Bearer <admin token>');
  const given = Buffer.from(/^Bearer (\S+)$/.exec(header)?.[1] ?? '');
  const expected = Buffer.from(adminToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new KlingError(1002, 'Authorization is invalid: admin endpoints need the admin token');
  }
}

type Named = { Params: { name: string } };

export interface AdminDeps {
  db: Db;
  adminToken: string;
  /** Who may call: the admin token by default; a console may also accept its operator sessions. */
  authorize?: (request: FastifyRequest) => Promise<void>;
  /** Seals upstream secrets (store/secret-box.ts); without it, /admin/upstreams is not served. */
  secretBox?: SecretBox;
  /** Told after an upstream changed here, so this process routes by the change at once. */
  onUpstreamsChanged?: () => void;
}

export function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const { db } = deps;
  const authorize = deps.authorize ?? (async (request: FastifyRequest) => requireAdminToken(request, deps.adminToken));
  app.register(async (admin) => {
    // Checked before the body is read: a request without the token is refused without parsing what it sent.
    admin.addHook('onRequest', authorize);
    const ok = (request: FastifyRequest, data: unknown) => successEnvelope(request.id, data);
    // A DELETE takes no body, but many HTTP wrappers send `Content-Type: application/json` with an empty one.
    const bodiless = { emptyBodyIsObject: true };

    admin.get('/admin/tenants', async (request) => ok(request, await listTenantViews(db)));
    admin.post('/admin/tenants', async (request) => ok(request, await addTenant(db, request.body)));
    admin.get<Named>('/admin/tenants/:name', async (request) => ok(request, await showTenant(db, request.params.name)));
    admin.patch<Named>('/admin/tenants/:name', async (request) => ok(request, await setTenant(db, request.params.name, request.body)));
    admin.delete<Named>('/admin/tenants/:name', { config: bodiless }, async (request) => {
      await dropTenant(db, request.params.name);
      return ok(request, { name: request.params.name, removed: true });
    });
    admin.get<Named>('/admin/tenants/:name/keys', async (request) => ok(request, await listKeys(db, request.params.name)));
    admin.post<Named>('/admin/tenants/:name/keys', async (request) => ok(request, await addKey(db, request.params.name, request.body)));
    admin.delete<{ Params: { name: string; key: string } }>('/admin/tenants/:name/keys/:key', { config: bodiless },
      async (request) => ok(request, await revokeTenantKey(db, request.params.name, request.params.key)));
    admin.get<Named>('/admin/tenants/:name/packs', async (request) => ok(request, await listPacks(db, request.params.name)));
    admin.post<Named>('/admin/tenants/:name/packs', async (request) => ok(request, await addTenantPack(db, request.params.name, request.body)));

    const box = deps.secretBox;
    if (!box) return;
    const changed = <T>(value: T) => {
      deps.onUpstreamsChanged?.();
      return value;
    };
    admin.get('/admin/upstreams', async (request) => ok(request, await listUpstreamViews(db)));
    admin.post('/admin/upstreams', async (request) => ok(request, changed(await addUpstream(db, box, request.body))));
    admin.get<Named>('/admin/upstreams/:name', async (request) => ok(request, await showUpstream(db, request.params.name)));
    admin.patch<Named>('/admin/upstreams/:name', async (request) => ok(request, changed(await setUpstream(db, box, request.params.name, request.body))));
    admin.get<Named & { Querystring: CostsQuery }>('/admin/upstreams/:name/costs',
      async (request) => ok(request, await upstreamCosts(db, box, request.params.name, request.query)));
    admin.delete<Named>('/admin/upstreams/:name', { config: bodiless }, async (request) => {
      await dropUpstream(db, request.params.name);
      return ok(request, changed({ name: request.params.name, removed: true }));
    });
  });
}
