// Every answer is a Kling envelope, errors included: Kling errors pass through, framework errors (bad JSON,
// content type, body size, malformed URL, over-long path segment) become 1200, unknown routes 1202, and anything
// unexpected 5000 — never a bare 500 page, never a stack trace to the client. What Node's HTTP parser refuses
// before Fastify sees a request (oversized headers, a target that is not a path, a request that arrives too
// slowly) is written to the socket as an envelope too.

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import { KlingError, MAX_PATH_SEGMENT_LENGTH, errorEnvelope, httpStatusOf } from '@kiln/contract';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** How much of a body past the limit is read and thrown away so the client can read the refusal; beyond it the
 *  client is cut off. Network buffers hold a few MB, so an over-limit body of typical size is read to its end. */
const OVER_LIMIT_DISCARD_BYTES = 64 * 1024 * 1024;

export function installErrorHandling(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler(async (error: FastifyError | KlingError, request, reply) => {
    const kling = toKlingError(error, bodyLimitBytes);
    if (kling.code >= 5000) request.log.error({ err: error, reqId: request.id, url: request.url }, 'internal error');
    if ((error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      reply.header('connection', 'close');
      await discardRestOfBody(request, bodyLimitBytes + OVER_LIMIT_DISCARD_BYTES);
    }
    return reply.code(kling.httpStatus).send(errorEnvelope(request.id, kling.code, kling.message));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    reply.code(404).send(errorEnvelope(request.id, 1202, `no such endpoint: ${request.method} ${path}`));
  });
}

/**
 * A body over the limit is refused before it has all arrived. Answering and closing at once makes most clients
 * (fetch among them) fail with EPIPE or "other side closed" while still writing, never reading the answer; so the
 * rest of the body is read and thrown away — the limit is on what kiln keeps, not on what crosses the wire — and
 * the answer goes out once the client has finished sending. A client that announces or sends more than `cap` bytes
 * is not waited for: it is answered at once, or cut off. (The request deadline bounds how long this can take.)
 */
function discardRestOfBody(request: FastifyRequest, cap: number): Promise<void> {
  const raw = request.raw;
  if (raw.complete || raw.destroyed || Number(request.headers['content-length']) > cap) return Promise.resolve();
  return new Promise((resolve) => {
    let received = 0;
    raw.removeAllListeners('data');
    raw.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > cap) raw.socket?.destroy();
    });
    raw.once('end', () => resolve());
    raw.once('close', () => resolve());
    raw.once('error', () => resolve());
    raw.resume();
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
    case 'FST_ERR_BAD_URL':
      return new KlingError(1200, 'the request path is not valid: it contains a malformed percent-encoding');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // Fastify says 414; kiln answers as for every malformed request (400, 1200), since no id is that long.
      return new KlingError(1200, `a segment of the request path is longer than ${MAX_PATH_SEGMENT_LENGTH} characters`);
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new KlingError(1200, e.message || 'invalid request');
  }
  return new KlingError(5000, 'internal error; please retry');
}

/** Fastify's own answers for URLs its router cannot take (`frameworkErrors`). */
export function onFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const kling = toKlingError(error, 0);
  reply.code(kling.httpStatus).send(errorEnvelope(request.id, kling.code, kling.message));
}

/**
 * Node's `clientError`: the request could not be parsed or did not arrive in time, so there is no request object,
 * only the socket. The status keeps its HTTP meaning where it has one clients act on (431, 408), the body is the
 * envelope; an answer to HEAD carries no body.
 */
export function clientErrorHandler(timeouts: { headersMs: number; requestMs: number }) {
  return function onClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // Something was already written (a timeout in the middle of an answer): an envelope now would corrupt it.
    if (!socket.writable || socket.bytesWritten > 0) return void socket.destroy();
    const { status, kling } = clientErrorAnswer(error, timeouts);
    const body = JSON.stringify(errorEnvelope(randomUUID(), kling.code, kling.message));
    const raw = error.rawPacket;
    const isHead = Buffer.isBuffer(raw) && raw.subarray(0, 5).toString('latin1') === 'HEAD ';
    // end(), not write() then destroy(): destroy drops whatever the kernel has not taken yet.
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      (isHead ? '' : body),
    );
    // A peer that never closes its side is not waited for.
    socket.setTimeout(5_000, () => socket.destroy());
  };
}

function clientErrorAnswer(error: { code?: string }, timeouts: { headersMs: number; requestMs: number }) {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, kling: new KlingError(1200, `request headers are larger than the limit of ${http.maxHeaderSize} bytes`) };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        kling: new KlingError(1200, `the request did not arrive in time (headers within ${timeouts.headersMs / 1000} s, ` +
          `the whole request within ${timeouts.requestMs / 1000} s)`),
      };
    case 'HPE_INVALID_URL':
      // A request target that is not a path (`GET v1/videos`): nothing is served there.
      return { status: httpStatusOf(1202), kling: new KlingError(1202, 'no such endpoint: the request target must be a path starting with /') };
    default:
      return { status: httpStatusOf(1200), kling: new KlingError(1200, 'malformed HTTP request') };
  }
}
