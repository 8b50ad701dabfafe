// Operator endpoints outside the Kling API (no Kling envelope, no tenant auth):
//   GET /healthz   the process is alive: 200 {"status":"ok"}
//   GET /readyz    the store, the queue and storage work: 200, or 503 naming the part that failed
//   GET /metrics   Prometheus text; needs `Authorization: Bearer <admin token>` or the metrics token

import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { KilnMetrics } from '../metrics/kiln-metrics.ts';
import { checkReadiness, type ReadinessProbe } from './readiness.ts';

export interface OperationsDeps {
  metrics: KilnMetrics;
  probes: ReadinessProbe[];
  /** Tokens that may read /metrics: the admin token, and KILN_METRICS_TOKEN when set. */
  metricsTokens: string[];
}

export function registerOperationsRoutes(app: FastifyInstance, deps: OperationsDeps): void {
  app.get('/healthz', async (_request, reply) => reply.send({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const result = await checkReadiness(deps.probes);
    for (const { part, error } of result.errors) app.log.warn({ err: error, part }, 'not ready');
    return reply.code(result.ready ? 200 : 503).send({ status: result.ready ? 'ready' : 'unavailable', checks: result.checks });
  });

  app.get('/metrics', async (request, reply) => {
    if (!allowed(request, deps.metricsTokens)) {
      // Not Kling's API, so not Kling's envelope: a scraper understands a plain 401.
      return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain; charset=utf-8')
        .send('metrics need Authorization: Bearer <admin token or metrics token>\n');
    }
    return reply.type(deps.metrics.contentType).send(await deps.metrics.text());
  });
}

function allowed(request: FastifyRequest, tokens: string[]): boolean {
  const given = Buffer.from(/^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
  if (given.length === 0) return false;
  return tokens.some((token) => {
    const expected = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
