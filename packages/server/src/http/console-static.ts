// Serves the console's built files (packages/dashboard, built by `npm install` / `npm run build`) at /console. Any
// path under /console that is not a file is the app's own page (it routes in the browser), so links can be shared.

import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where the dashboard's build lands, beside the server package in the repository. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../dashboard/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The page may load media from kiln's own URLs or, with a bucket, from presigned bucket URLs (another origin);
 * scripts, styles and API calls stay on this origin, and no other site may frame the console.
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src * data: blob:; media-src * blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

export function registerConsoleStatic(app: FastifyInstance, dir: string = DEFAULT_CONSOLE_DIR): void {
  const root = path.resolve(dir);
  app.get('/console', async (_request, reply) => reply.redirect('/console/'));
  app.get<{ Params: { '*': string } }>('/console/*', async (request, reply) => {
    const wanted = path.resolve(root, request.params['*']);
    // Fastify has decoded the path; resolving it and staying under root keeps `..` out. Built assets have content hashes in their names: cached for good. Anything else is the app's page.
    if (wanted.startsWith(root + path.sep) && path.extname(wanted) !== '') {
      const body = await fs.readFile(wanted).catch(() => undefined);
      if (body) {
        return reply.type(TYPES[path.extname(wanted)] ?? 'application/octet-stream')
          .header('cache-control', wanted.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache')
          .send(body);
      }
      if (wanted.includes(`${path.sep}assets${path.sep}`)) return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
    }
    return sendPage(reply, root);
  });
}

async function sendPage(reply: FastifyReply, root: string) {
  const page = await fs.readFile(path.join(root, 'index.html')).catch(() => undefined);
  if (!page) {
    // Not Kling's API: a person opened this in a browser, so the answer says what to do in words.
    return reply.code(503).type('text/plain; charset=utf-8')
      .send('The kiln console is not built. Run `npm install` (or `npm run build -w @kiln/dashboard`) in the kiln repository, then reload.\n');
  }
  return reply.type(TYPES['.html']).header('cache-control', 'no-cache').header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff').send(page);
}

