// @kiln/sdk in a browser: bundled by esbuild for a browser target (which fails on any Node-only import), loaded by
// a page in headless Chromium from another origin, and used there for a create-and-wait against a kiln whose
// KILN_CORS_ORIGINS lists the page's origin. A page from an origin not listed is refused by the browser.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// What a web app would write: the SDK with an explicit key (a browser has no environment), create and wait.
const APP = `
  import { Kling } from '@kiln/sdk';
  window.createAndWait = async (baseUrl, apiKey) => {
    const kling = new Kling({ baseUrl, apiKey, poll: { intervalMs: 250 } });
    try {
      const task = await kling.videos.text2video.createAndWait({ prompt: 'a red fox in the snow', duration: '5' });
      const url = task.task_result.videos[0].url;
      const video = await fetch(url);
      return { status: task.task_status, url, videoBytes: (await video.arrayBuffer()).byteLength };
    } catch (error) {
      return { error: error.name + ': ' + error.message };
    }
  };
`;

let bundle: string;
let pages: http.Server[];
let allowed: string;
let notAllowed: string;
let server: TestServer;
let browser: Browser;

function servePage(): Promise<{ page: http.Server; origin: string }> {
  const page = http.createServer((req, res) => {
    if (req.url === '/app.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title><script type="module" src="/app.js"></script>');
  });
  return new Promise((resolve) => page.listen(0, '127.0.0.1', () => {
    resolve({ page, origin: `http://127.0.0.1:${(page.address() as AddressInfo).port}` });
  }));
}

beforeAll(async () => {
  const built = await esbuild.build({
    stdin: { contents: APP, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // The repository's sources, as the packages' `exports` give them inside the repository.
    conditions: ['@kiln/source'],
    logLevel: 'silent',
  });
  bundle = built.outputFiles[0].text;
  const [a, b] = await Promise.all([servePage(), servePage()]);
  pages = [a.page, b.page];
  allowed = a.origin;
  notAllowed = b.origin;
  server = await startTestServer({ corsOrigins: [allowed] });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const page of pages ?? []) page.close();
});

async function runInPage(origin: string) {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'createAndWait' in window);
    return await page.evaluate(([url, key]) => (window as any).createAndWait(url, key), [server.url, server.creds.api_key]);
  } finally {
    await page.close();
  }
}

describe('@kiln/sdk in a browser', () => {
  it('bundles for the browser with nothing from Node', () => {
    expect(bundle).toContain('text2video');
    expect(bundle).not.toMatch(/from ["']node:|require\(["']node:/);
  });

  it('creates a task and waits for it from a page of an allowed origin, and reads the video', async () => {
    const result = await runInPage(allowed);
    expect(result).toMatchObject({ status: 'succeed', url: expect.stringMatching(/\.mp4/) });
    expect(result.videoBytes).toBeGreaterThan(1000);
  }, 90_000);

  it('is refused by the browser from an origin KILN_CORS_ORIGINS does not list', async () => {
    const result = await runInPage(notAllowed);
    expect(result.error).toMatch(/^KlingConnectionError: connection failed: Failed to fetch/);
  }, 90_000);
});
