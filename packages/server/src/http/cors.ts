// Cross-origin access for browser apps that call kiln directly (KILN_CORS_ORIGINS). Kling's API sends no CORS
// headers, so by default kiln sends none either; an operator lists the web origins allowed to call it (or `*`).
// Allowed origins get the CORS headers on every answer — errors and media included — and preflights are answered
// here, before routing, so no route needs an OPTIONS handler.

import type { FastifyInstance } from 'fastify';

/** Headers a browser script may read: the ones the SDK uses for retries and clock skew, and the request id. */
const EXPOSED = 'Retry-After, Date, X-Request-Id, Content-Range, Content-Length';
const METHODS = 'GET, POST, DELETE, OPTIONS';
/** Browsers cache a preflight this long (seconds); Chromium caps it at two hours. */
const PREFLIGHT_MAX_AGE = '600';

/** `*`, or origins separated by commas or spaces (`https://app.example.com, http://localhost:5173`). */
export function parseCorsOrigins(value: string | undefined): string[] {
  const origins = (value ?? '').split(/[\s,]+/).filter(Boolean);
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch { /* reported below */ }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new Error(`KILN_CORS_ORIGINS: '${origin}' is not an origin: scheme://host[:port] with no path or trailing slash, or *`);
    }
  }
  return origins;
}

export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (!origin || !(anyOrigin || allowed.has(origin))) return done();
    reply.header('access-control-allow-origin', anyOrigin ? '*' : origin);
    if (!anyOrigin) reply.header('vary', 'Origin');
    reply.header('access-control-expose-headers', EXPOSED);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      // The request headers asked for are allowed: authorization and content-type are what the API needs, and the
      // credential is checked on the real request anyway.
      reply.code(204)
        .header('access-control-allow-methods', METHODS)
        .header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? 'authorization, content-type')
        .header('access-control-max-age', PREFLIGHT_MAX_AGE)
        .send();
      return;
    }
    done();
  });
}
