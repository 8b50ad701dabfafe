// One kiln process per data directory: a second server on a directory another one is using — with workers or API
// only (KILN_WORKERS=false) — is refused at start with a message saying why; once the first is killed with SIGKILL
// (no chance to clean up), a new server starts on the directory.

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, tempDir } from './helpers/test-server.ts';
import { DataDirInUse } from '../packages/server/src/store/data-dir-lock.ts';
import { startKiln } from '../packages/server/src/kiln.ts';

const root = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];
afterEach(() => { for (const c of children) c.kill('SIGKILL'); });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

interface Outcome { child: ChildProcess; listening: boolean; exitCode: number | null; output: string }

/** Starts `npm start`'s entry point and waits for it to say it listens, or to exit. */
async function start(dataDir: string, env: Record<string, string> = {}): Promise<Outcome> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KILN_DATA_DIR: dataDir, KILN_API_KEY: 'kiln_lock_test_key', KILN_LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise<Outcome>((resolve) => {
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes('listening')) resolve({ child, listening: true, exitCode: null, output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => resolve({ child, listening: false, exitCode: code, output }));
  });
}

describe('a data directory in use', () => {
  it('refuses a second server, with workers or API only, and takes a new one once the first was killed', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    expect(first.listening).toBe(true);

    for (const env of [{}, { KILN_WORKERS: 'false' }] as Record<string, string>[]) {
      const second = await start(dataDir, env);
      expect(second.listening).toBe(false);
      expect(second.exitCode).toBe(1);
      expect(second.output).toContain(`the data directory ${dataDir} is in use by another kiln process (pid ${first.child.pid})`);
      expect(second.output).toMatch(/one process per data directory/);
      expect(second.output).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const third = await start(dataDir);
    expect(third.listening).toBe(true);
  });
});

describe('a data directory in use within one process', () => {
  it('refuses a second server on it until the first is closed, then starts one', async () => {
    const first = await startTestServer();
    try {
      await expect(startTestServer({ dataDir: first.dataDir, workers: false })).rejects.toBeInstanceOf(DataDirInUse);
    } finally {
      await first.close();
    }
    const next = await startKiln({
      port: 0, host: '127.0.0.1', dataDir: first.dataDir, allowPrivateUrls: true, workers: true, renderConcurrency: 1,
      callbackConcurrency: 1, callbacks: { baseDelayMs: 100, maxDelayMs: 400, giveUpAfterMs: 5_000, timeoutMs: 2_000 },
      bodyLimitBytes: 1024 * 1024, logLevel: 'silent', timing: 'fast', defaultTenant: {},
    });
    await next.close();
  });
});
