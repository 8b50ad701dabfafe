// `kiln backup`: an online copy of a running server's store. The copy passes SQLite's integrity check, holds what
// the server had written (tenants, tasks), and a server started on it serves the same credentials and tasks.

import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiln } from '@kiln/server';
import { cliEnv, runCli } from './helpers/cli-run.ts';
import { startTestServer, tempDir, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server.close(); });

describe('kiln backup', { timeout: 300_000 }, () => {
  it('copies the live store consistently; a server started on the copy has its tenants and tasks', async () => {
    const created = await server.api('POST', '/v1/videos/text2video', { body: { prompt: 'a backup test', external_task_id: 'backup-1' } });
    expect(created.json.code).toBe(0);
    const target = path.join(tempDir('kiln-backup-'), 'kiln.db');

    const result = await runCli(['backup', target, '--data-dir', server.dataDir], { env: cliEnv() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`to ${target}`);

    const copy = new SQLite(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare("SELECT COUNT(*) AS n FROM tasks WHERE external_task_id = 'backup-1'").get()).toEqual({ n: 1 });
    copy.close();

    // A server started on a directory holding only the copy: the same key finds the same task.
    const restored = await startKiln({ ...server.kiln.config, port: 0, dataDir: path.dirname(target) });
    try {
      expect(restored.createdDefaultTenant).toBeUndefined();
      const res = await fetch(`${restored.url}/v1/videos/text2video/backup-1`, { headers: { authorization: `Bearer ${server.creds.api_key}` } });
      expect((await res.json()).data.task_info.external_task_id).toBe('backup-1');
    } finally {
      await restored.close();
    }
  });

  it('refuses to write over an existing file', async () => {
    const target = path.join(tempDir('kiln-backup-'), 'taken.db');
    fs.writeFileSync(target, 'keep me');
    const result = await runCli(['backup', target, '--data-dir', server.dataDir], { env: cliEnv() });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('exists already');
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
  });
});
