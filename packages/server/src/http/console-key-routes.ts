// A tenant's own keys, for the console's Keys page (the operator manages any tenant's through /admin/tenants/…/keys,
// admin-routes.ts; both use accounts/tenant-admin.ts):
//   GET    /kiln/keys          list (never a secret)
//   POST   /kiln/keys          create {name, type?: api_key | access_key}: the secret is in this answer only
//   DELETE /kiln/keys/{name}   revoke: requests and console sessions with that key stop at once
//   POST   /kiln/webhook-secret/rotate   a new webhook secret (shown once); the old one signs too for 7 days

import { KlingError, successEnvelope } from '@kiln/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addKey, listKeys, revokeTenantKey } from '../accounts/tenant-admin.ts';
import type { Db } from '../store/open.ts';
import type { Tenant } from '../store/tenants.ts';
import { rotateWebhookSecret } from '../store/webhook-secrets.ts';

export function registerConsoleKeyRoutes(app: FastifyInstance, db: Db, authenticate: (request: FastifyRequest) => Promise<Tenant>): void {
  const ok = (request: FastifyRequest, data: unknown) => successEnvelope(request.id, data);
  app.get('/kiln/keys', async (request) => ok(request, await listKeys(db, (await authenticate(request)).name)));
  app.post('/kiln/keys', async (request) => ok(request, await addKey(db, (await authenticate(request)).name, request.body)));
  app.delete<{ Params: { name: string } }>('/kiln/keys/:name', async (request) =>
    ok(request, await revokeTenantKey(db, (await authenticate(request)).name, request.params.name)));
  app.post('/kiln/webhook-secret/rotate', { config: { emptyBodyIsObject: true } }, async (request) => {
    const tenant = await authenticate(request);
    const rotated = await rotateWebhookSecret(db, tenant.id);
    if (!rotated) throw new KlingError(1201, 'this tenant\'s callbacks are unsigned (no webhook secret), or another rotation happened at the same moment');
    return ok(request, { webhook_secret: rotated.secret, previous_secret_valid_until: rotated.previousUntil });
  });
}
