// Every answer is a Kling envelope, errors included: Kling errors pass through, framework errors (bad JSON,
// content type, body size) become 1200, unknown routes 1202, and anything unexpected 5000 — never a bare 500
// page, never a stack trace to the client.

import { KlingError, errorEnvelope } from '@kiln/contract';
import type { FastifyError, FastifyInstance } from 'fastify';

export function installErrorHandling(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler((error: FastifyError | KlingError, request, reply) => {
    const kling = toKlingError(error, bodyLimitBytes);
    if (kling.code >= 5000) request.log.error({ err: error, reqId: request.id, url: request.url }, 'internal error');
    reply.code(kling.httpStatus).send(errorEnvelope(request.id, kling.code, kling.message));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    reply.code(404).send(errorEnvelope(request.id, 1202, `no such endpoint: ${request.method} ${path}`));
  });
}

export function toKlingError(error: unknown, bodyLimitBytes: number): KlingError {
  if (error instanceof KlingError) return error;
  const e = error as FastifyError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      // Kling pairs code 1200 with HTTP 400; kiln keeps that pairing rather than 413 so clients see one rule.
      return new KlingError(1200, `request body is larger than the limit of ${bodyLimitBytes} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new KlingError(1200, 'Content-Type must be application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new KlingError(1200, 'request body is empty; a JSON object is required');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new KlingError(1200, 'Content-Length does not match the body');
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new KlingError(1200, e.message || 'invalid request');
  }
  return new KlingError(5000, 'internal error; please retry');
}
