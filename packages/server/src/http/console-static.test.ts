// The console's files at /console: built assets (cached for good), the app's page for any other path under
// /console, nothing outside the build directory, and a plain answer saying how to build it when it is not built.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerConsoleStatic } from './console-static.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function buildDir(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-console-static-'));
  dirs.push(root);
  fs.mkdirSync(path.join(root, 'dist', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'index.html'), '<!doctype html><title>console</title>');
  fs.writeFileSync(path.join(root, 'dist', 'assets', 'app-1234.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'not for the web');
  return path.join(root, 'dist');
}

async function appFor(dir: string) {
  const app = Fastify();
  registerConsoleStatic(app, dir);
  await app.ready();
  return app;
}

describe('console static files', () => {
  it('serves hashed assets for good and the page for every app path, with a content security policy', async () => {
    const app = await appFor(buildDir());
    const asset = await app.inject('/console/assets/app-1234.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    for (const url of ['/console/', '/console/tasks/916338274685943808', '/console/usage?days=7']) {
      const page = await app.inject(url);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<title>console</title>');
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(page.headers['cache-control']).toBe('no-cache');
    }
    expect((await app.inject('/console')).headers.location).toBe('/console/');
    expect((await app.inject('/console/assets/missing.js')).statusCode).toBe(404);
  });

  it('never serves a file outside the build directory', async () => {
    const app = await appFor(buildDir());
    for (const url of ['/console/../secret.txt', '/console/%2e%2e/secret.txt', '/console/..%2fsecret.txt', '/console/assets/..%2f..%2fsecret.txt']) {
      const res = await app.inject(url);
      expect(res.body).not.toContain('not for the web');
    }
  });

  it('says how to build the console when it is not built', async () => {
    const app = await appFor(path.join(os.tmpdir(), 'kiln-no-such-console-build'));
    const res = await app.inject('/console/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build -w @kiln/dashboard');
  });
});
