// The JSON body parser: keeps 64-bit integers (element_id) exact, bounds nesting depth, and turns malformed JSON
// into Kling's 1200. Routes whose body is optional (the simulator's control calls) may read an empty body as {}.

import { JsonTooDeepError, KlingError, parseJsonKeepingBigInts } from '@kiln/contract';
import type { FastifyInstance } from 'fastify';

export function installJsonBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/(?:[\w.+-]+\+)?json$/i, { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (isBlank(text)) {
      // Many HTTP wrappers send `Content-Type: application/json` on every POST, bodiless or not.
      if (request.routeOptions.config?.emptyBodyIsObject) return done(null, {});
      return done(new KlingError(1200, 'request body is empty; a JSON object is required'), undefined);
    }
    try {
      done(null, parseJsonKeepingBigInts(text));
    } catch (error) {
      if (error instanceof JsonTooDeepError) {
        return done(new KlingError(1200, `request body nests objects and arrays deeper than ${error.maxDepth} levels`), undefined);
      }
      const reason = error instanceof Error ? error.message : 'syntax error';
      done(new KlingError(1200, `request body is not valid JSON: ${reason}`), undefined);
    }
  });
}

/** Whitespace only, checked without trimming: a trim of a 32 MB body would copy it. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An empty body is read as {} instead of being refused (for calls whose every field is optional). */
    emptyBodyIsObject?: boolean;
  }
}
