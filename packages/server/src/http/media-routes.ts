// Serves task outputs at their signed URLs, with HTTP Range support so downloads can resume.

import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { errorEnvelope } from '@kiln/contract';
import type { FastifyInstance } from 'fastify';
import type { LocalStorage } from '../storage/local-storage.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.mp3': 'audio/mpeg', '.wav': 'audio/wav',
};

export function registerMediaRoutes(
  app: FastifyInstance,
  storage: LocalStorage,
  mediaFault: (taskId: string) => Promise<'slow' | 'fail' | undefined>,
): void {
  app.get<{ Params: { taskId: string; name: string }; Querystring: { e?: string; s?: string } }>(
    '/media/:taskId/:name',
    async (request, reply) => {
      const { taskId, name } = request.params;
      const file = storage.resolve(taskId, name);
      const verdict = file ? storage.verify(taskId, name, request.query.e, request.query.s) : 'invalid';
      if (verdict !== 'ok') {
        const message = verdict === 'expired' ? 'this result URL has expired' : 'this result URL is not valid';
        return reply.code(403).send(errorEnvelope(request.id, 1103, message));
      }
      const fault = await mediaFault(taskId);
      if (fault === 'fail') return reply.code(500).send(errorEnvelope(request.id, 5000, 'simulated media failure'));
      let stat: fs.Stats;
      try {
        stat = await fs.promises.stat(file!);
      } catch {
        return reply.code(404).send(errorEnvelope(request.id, 1203, 'this result no longer exists'));
      }
      reply.header('content-type', CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream');
      reply.header('accept-ranges', 'bytes');
      reply.header('cache-control', 'private, max-age=86400');
      const range = parseRange(request.headers.range, stat.size);
      if (range === 'unsatisfiable') {
        return reply.code(416).header('content-range', `bytes */${stat.size}`).send();
      }
      if (range) {
        reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${stat.size}`);
        reply.header('content-length', range.end - range.start + 1);
        return reply.send(throttled(fs.createReadStream(file!, range), fault === 'slow'));
      }
      reply.header('content-length', stat.size);
      return reply.send(throttled(fs.createReadStream(file!), fault === 'slow'));
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
