// One log line and one metrics observation per answered request: request id, tenant (once authenticated), method,
// route pattern, status, time and client address. The route is the pattern the router matched (`/v1/videos/omni-video/:id`), never
// the raw URL, which carries task ids and, on media URLs, signatures. Headers and bodies are never logged.

import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { KilnMetrics } from '../metrics/kiln-metrics.ts';
import type { Logger } from '../metrics/logger.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant the request authenticated as, for its log line; null before (or without) authentication. */
    tenantId: string | null;
  }
}

/** The route label of a request no route matched (404s, malformed URLs): one bounded value, whatever was asked. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Probes and scrapes come every few seconds: they are counted, but their log lines would drown the API's. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics', '/health']);

export function noteTenant(request: FastifyRequest, tenantId: string): void {
  request.tenantId = tenantId;
}

export function installRequestObserver(app: FastifyInstance, metrics: KilnMetrics, log: Logger): void {
  app.decorateRequest('tenantId', null);
  const observe = (request: FastifyRequest, reply: FastifyReply, route: string) => {
    const ms = reply.elapsedTime;
    metrics.request(request.method, route, reply.statusCode, ms / 1000);
    // The level is checked first so that, below `info`, a request costs no log object at all.
    if (log.isLevelEnabled('info') && !QUIET_ROUTES.has(route)) {
      log.info({
        request_id: request.id, tenant_id: request.tenantId ?? undefined, method: request.method, route,
        status: reply.statusCode, ms: Math.round(ms * 100) / 100,
        // The client's address: X-Forwarded-For's when KILN_TRUST_PROXY trusts the proxy, else the socket's.
        client: request.ip,
      }, 'request');
    }
  };
  // Each route gets its own hook holding its pattern: reading `request.routeOptions` builds a frozen object per
  // request, which cost a fifth of a task query's throughput.
  app.addHook('onRoute', (route) => {
    const pattern = route.url ?? UNMATCHED_ROUTE;
    const hook: onResponseHookHandler = (request, reply, done) => {
      observe(request, reply, pattern);
      done();
    };
    route.onResponse = route.onResponse ? [...([] as onResponseHookHandler[]).concat(route.onResponse as any), hook] : [hook];
  });
  // Requests no route matched (404s, malformed URLs) answer through the not-found handler, which has no route.
  app.addHook('onResponse', (request, reply, done) => {
    if (request.is404) observe(request, reply, UNMATCHED_ROUTE);
    done();
  });
}
