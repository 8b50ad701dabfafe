// One kiln process per data directory: a second server on a directory another one is using — with workers or API
// only (KILN_WORKERS=false) — is refused at start with a message saying why; once the first is killed with SIGKILL
// (no chance to clean up), a new server starts on the directory.

import { describe, expect, it } from 'vitest';
import { startTestServer, tempDir } from './helpers/test-server.ts';
import { DataDirInUse } from '../packages/server/src/store/data-dir-lock.ts';
import { startKiln } from '../packages/server/src/kiln.ts';
import { startServerProcess } from './helpers/server-process.ts';

/** Starts `npm start`'s entry point and waits for it to say it listens, or to exit. */
const start = (dataDir: string, env: Record<string, string> = {}) => startServerProcess(dataDir, 'kiln_lock_test_key', env);

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
