// The JSON body parser: keeps 64-bit integers (element_id) exact and turns malformed JSON into Kling's 1200.

import { KlingError, parseJsonKeepingBigInts } from '@kiln/contract';
import type { FastifyInstance } from 'fastify';

export function installJsonBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/(?:[\w.+-]+\+)?json$/i, { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(new KlingError(1200, 'request body is empty; a JSON object is required'), undefined);
    try {
      done(null, parseJsonKeepingBigInts(text));
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'syntax error';
      done(new KlingError(1200, `request body is not valid JSON: ${reason}`), undefined);
    }
  });
}
