// Serves task outputs at their signed URLs, with HTTP Range support so downloads can resume.

import { Transform, type Readable } from 'node:stream';
import { errorEnvelope } from '@kiln/contract';
import type { FastifyInstance } from 'fastify';
import type { MediaFault } from '../engines/engine.ts';
import { storageKey, StorageNotFoundError, StorageRangeError, type ByteRange, type Storage } from '../storage/storage.ts';

export function registerMediaRoutes(
  app: FastifyInstance,
  storage: Storage,
  mediaFault: (taskId: string) => Promise<MediaFault | undefined>,
  options: { redirectSeconds?: number } = {},
): void {
  app.get<{ Params: { taskId: string; name: string }; Querystring: { e?: string; s?: string } }>(
    '/media/:taskId/:name',
    async (request, reply) => {
      const { taskId, name } = request.params;
      const key = storageKey(taskId, name);
      const verdict = key ? storage.checkUrl(key, request.query.e, request.query.s) : 'invalid';
      if (verdict !== 'ok') {
        const message = verdict === 'expired' ? 'this result URL has expired' : 'this result URL is not valid';
        return reply.code(403).send(errorEnvelope(request.id, 1103, message));
      }
      const fault = await mediaFault(taskId);
      if (fault === 'fail') return reply.code(500).send(errorEnvelope(request.id, 5000, 'simulated media failure'));
      // Redirected to the backend when the operator chose it and the object is there; simulated faults are kiln's
      // own, so a faulty task's media keeps streaming through kiln. The redirect never outlives kiln's own URL.
      if (options.redirectSeconds && !fault) {
        const seconds = Math.min(options.redirectSeconds, Number(request.query.e) - Math.floor(Date.now() / 1000));
        const location = await storage.presignedUrl(key!, Math.max(1, seconds));
        if (location) return reply.code(302).header('location', location).header('cache-control', 'no-store').send();
      }
      const gone = () => reply.code(404).send(errorEnvelope(request.id, 1203, 'this result no longer exists'));
      // A whole download is one request to the storage; a range needs the size first (suffix and past-the-end
      // ranges are answered by kiln, the same on every backend).
      let range: ByteRange | undefined;
      if (request.headers.range) {
        const info = await storage.stat(key!);
        if (!info) return gone();
        mediaHeaders(info.contentType);
        const parsed = parseRange(request.headers.range, info.size);
        if (parsed === 'unsatisfiable') return unsatisfiable(info.size);
        range = parsed;
      }
      let opened;
      try {
        opened = await storage.open(key!, range);
      } catch (err) {
        // Missing, or removed or rewritten since the stat.
        if (err instanceof StorageNotFoundError) return gone();
        if (err instanceof StorageRangeError) return unsatisfiable(err.size);
        throw err;
      }
      mediaHeaders(opened.contentType);
      if (range) reply.code(206).header('content-range', `bytes ${opened.start}-${opened.end}/${opened.size}`);
      reply.header('content-length', opened.end - opened.start + 1);
      return reply.send(throttled(opened.body, fault === 'slow'));

      function mediaHeaders(contentType: string) {
        reply.header('content-type', contentType);
        reply.header('accept-ranges', 'bytes');
        reply.header('cache-control', 'private, max-age=86400');
      }

      function unsatisfiable(size: number) {
        return reply.code(416).header('content-range', `bytes */${size}`).send();
      }
    },
  );
}

/** A simulated slow link: about 64 KB/s. */
function throttled(stream: Readable, slow: boolean): Readable {
  if (!slow) return stream;
  return stream.pipe(new Transform({
    highWaterMark: 16 * 1024,
    transform(chunk: Buffer, _enc, done) {
      let offset = 0;
      const push = () => {
        if (offset >= chunk.length) return done();
        this.push(chunk.subarray(offset, offset + 16 * 1024));
        offset += 16 * 1024;
        setTimeout(push, 250);
      };
      push();
    },
  }));
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; multi-range requests get the whole file. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
