// Starts a real kiln server (loopback, random port, fresh data directory) for a test, and talks to it over HTTP.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKiln, type Kiln, type KilnConfig, type IssuedCredentials } from '@kiln/server';
import { createTenant } from '@kiln/server/tenants';
import { updateTenant } from '../../packages/server/src/store/tenants.ts';

export interface TestServer {
  kiln: Kiln;
  url: string;
  dataDir: string;
  creds: IssuedCredentials;
  api: (method: string, route: string, options?: RequestOptions) => Promise<ApiAnswer>;
  addTenant: (name: string, limits?: { video?: number; image?: number; 'try-on'?: number }) => Promise<IssuedCredentials>;
  close: () => Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  json: any;
}

export function tempDir(prefix = 'kiln-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * KILN_TEST_STORE=postgres runs the server of every test on PostgreSQL (a fresh database per server, dropped when it
 * closes) instead of the embedded SQLite store: the same API tests then check the PostgreSQL adapter too.
 */
async function testDatabase(overrides: Partial<KilnConfig>): Promise<{ url?: string; drop: () => Promise<void> }> {
  if (process.env.KILN_TEST_STORE !== 'postgres' || overrides.databaseUrl) return { url: overrides.databaseUrl, drop: async () => {} };
  const { createTestDatabase } = await import('../../packages/server/src/store/postgres-test-db.ts');
  return createTestDatabase();
}

export async function startTestServer(overrides: Partial<KilnConfig> = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? tempDir();
  const database = await testDatabase(overrides);
  const kiln = await startKiln({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    allowPrivateUrls: true,
    workers: true,
    renderConcurrency: 2,
    callbackConcurrency: 4,
    callbacks: { baseDelayMs: 100, maxDelayMs: 400, giveUpAfterMs: 5_000, timeoutMs: 2_000 },
    bodyLimitBytes: 1024 * 1024,
    logLevel: 'silent',
    timing: 'fast',
    defaultTenant: {},
    ...overrides,
    databaseUrl: database.url,
  });
  const creds = kiln.createdDefaultTenant!;
  // Tests that are not about concurrency should never meet 1303 on the default tenant.
  await updateTenant(kiln.db, creds.tenant_id, { limit_video: 1000, limit_image: 1000, limit_try_on: 1000 });
  const api = async (method: string, route: string, options: RequestOptions = {}): Promise<ApiAnswer> => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? creds.api_key : options.token;
    if (token !== null) headers.authorization ??= `Bearer ${token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(kiln.url + route, { method, headers, body });
    const text = await res.text();
    let json: any;
    try { json = JSON.parse(text); } catch { json = text; }
    return { status: res.status, headers: res.headers, json };
  };
  return {
    kiln, url: kiln.url, dataDir, creds, api,
    addTenant: (name, limits) => createTenant(kiln.db, { name, limits }),
    close: () => kiln.close().finally(() => database.drop()),
  };
}

/** Polls a task until it ends (or the deadline passes) and returns the last answer. */
export async function waitForTask(server: TestServer, familyPath: string, taskId: string, timeoutMs = 30_000, token?: string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await server.api('GET', `${familyPath}/${taskId}`, { token });
    const status = res.json?.data?.task_status;
    if (status === 'succeed' || status === 'failed' || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}
