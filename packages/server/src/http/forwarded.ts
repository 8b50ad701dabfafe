// Behind a reverse proxy (KILN_TRUST_PROXY): the base of the URLs a request is answered with comes from the proxy's
// X-Forwarded-Proto and X-Forwarded-Host, per request, so a client reaching kiln at https://api.example.com gets
// https://api.example.com/media/… links while the proxy talks plain HTTP to kiln on loopback. Fastify's own
// trustProxy reads the headers (and X-Forwarded-For for the client address); this keeps the request's base where
// the serializers, which build URLs without seeing the request, find it.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

const requestBase = new AsyncLocalStorage<string>();

/** The base URL the current request came in through, when forwarded URLs are on. */
export const forwardedBase = (): string | undefined => requestBase.getStore();

export function installForwardedBase(app: FastifyInstance): void {
  // preHandler: after the body is read, so the handler and everything it awaits run inside the request's base.
  app.addHook('preHandler', (request, _reply, done) => {
    requestBase.run(`${request.protocol}://${request.host}`, done);
  });
}
