// What `npm start` tells the operator about credentials. Run as a service (stdout not a terminal), the values it
// made go to a 0600 file in the data directory and nowhere else; values the operator supplied are never repeated;
// a restart with another KILN_API_KEY revokes the old key and says so.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialsNotice, exportLines, writeCredentialsFile } from '../packages/server/src/accounts/first-start-notice.ts';
import { tempDir } from './helpers/test-server.ts';

const MAIN = path.join(import.meta.dirname, '../packages/server/src/main.ts');
const running: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  })));
});

// The shell's own kiln and Kling settings (credentials loaded from an earlier start, say) would change what a first
// start makes: each start here gets only the ones its test names.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(KILN|KLING)_/.test(name)));

/** Starts `npm start`'s program with stdout piped (as under systemd) and resolves once it printed its banner. */
async function start(dataDir: string, env: Record<string, string> = {}): Promise<{ url: string; output: string }> {
  const child = spawn(process.execPath, ['--conditions=@kiln/source', '--import', 'tsx', MAIN], {
    env: { ...cleanEnv, PORT: '0', HOST: '127.0.0.1', KILN_DATA_DIR: dataDir, KILN_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 180 s:\n${output}`)), 180_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const url = /kiln is listening on (\S+)/.exec(output)?.[1];
      if (url && output.includes('Try: curl')) {
        clearTimeout(timer);
        resolve({ url, output });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      // Gone already: nothing for afterEach to stop.
      if (running.includes(child)) running.splice(running.indexOf(child), 1);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

async function stop(): Promise<void> {
  const child = running.pop()!;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

const status = async (url: string, apiKey: string) =>
  (await (await fetch(`${url}/v1/videos/text2video?pageSize=1`, { headers: { authorization: `Bearer ${apiKey}` } })).json()).code;

/** The values of `export NAME='value'` lines. */
function exported(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
}

describe('first start as a service', () => {
  it('writes every generated value to a 0600 file, once, and prints none of them', async () => {
    const dataDir = tempDir();
    const { url, output } = await start(dataDir);
    const file = path.join(dataDir, 'credentials.env');
    expect(output).toContain(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const values = exported(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(values).sort()).toEqual(['KILN_ADMIN_TOKEN', 'KILN_WEBHOOK_SECRET', 'KLING_ACCESS_KEY', 'KLING_API_KEY', 'KLING_BASE_URL', 'KLING_SECRET_KEY']);
    for (const [name, value] of Object.entries(values)) if (name !== 'KLING_BASE_URL') expect(output).not.toContain(value);
    expect(await status(url, values.KLING_API_KEY)).toBe(0);
    const admin = await fetch(`${url}/admin/tenants`, { headers: { authorization: `Bearer ${values.KILN_ADMIN_TOKEN}` } });
    expect(admin.status).toBe(200);

    await stop();
    const again = await start(dataDir);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('credentials'))).toEqual(['credentials.env']);
    expect(again.output).not.toContain(values.KLING_API_KEY);
  }, 300_000);

  it('refuses to start on a port in use, saying so, and makes nothing: the next start makes and shows the credentials', async () => {
    const dataDir = tempDir();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as AddressInfo).port);
    try {
      const failed = await start(dataDir, { PORT: port }).then(() => 'started', (error: Error) => error.message);
      expect(failed).toMatch(/exited with 1:[\s\S]*kiln cannot start: 127\.0\.0\.1:\d+ is in use .* set PORT to a free port/);
      expect(failed).not.toMatch(/EADDRINUSE|at /);
      expect(fs.existsSync(path.join(dataDir, 'credentials.env'))).toBe(false);
    } finally {
      taken.close();
    }
    const { url } = await start(dataDir);
    const values = exported(fs.readFileSync(path.join(dataDir, 'credentials.env'), 'utf8'));
    expect(Object.keys(values)).toEqual(expect.arrayContaining(['KLING_API_KEY', 'KILN_ADMIN_TOKEN']));
    expect(await status(url, values.KLING_API_KEY)).toBe(0);
  }, 300_000);

  it('never repeats values the operator supplied, and says what a changed KILN_API_KEY did to the old key', async () => {
    const dataDir = tempDir();
    const supplied = { KILN_API_KEY: 'kiln_operator_key_one', KILN_SECRET_KEY: 'operator-secret-value', KILN_ADMIN_TOKEN: 'operator-admin-token' };
    const first = await start(dataDir, supplied);
    const text = fs.readFileSync(path.join(dataDir, 'credentials.env'), 'utf8');
    for (const value of Object.values(supplied)) {
      expect(first.output).not.toContain(value);
      expect(text).not.toContain(value);
    }
    expect(text).toContain('# KLING_API_KEY: the value of KILN_API_KEY, as you set it');
    expect(exported(text).KLING_ACCESS_KEY).toBeTruthy();
    expect(await status(first.url, supplied.KILN_API_KEY)).toBe(0);
    await stop();

    const second = await start(dataDir, { ...supplied, KILN_API_KEY: 'kiln_operator_key_two' });
    expect(second.output).toMatch(/KILN_API_KEY differs from the default tenant's key 'default' in effect .*: that key is revoked, requests with it get 1002/);
    expect(second.output).not.toContain('kiln_operator_key_two');
    expect(await status(second.url, 'kiln_operator_key_one')).toBe(1002);
    expect(await status(second.url, 'kiln_operator_key_two')).toBe(0);
  }, 300_000);

  it('says where the default tenant\'s tasks go when started with an upstream, and never shows the upstream\'s key', async () => {
    const dataDir = tempDir();
    const upstreamKey = 'upstream-account-secret-key';
    const { output } = await start(dataDir, { KILN_UPSTREAM_URL: 'http://127.0.0.1:9', KILN_UPSTREAM_API_KEY: upstreamKey });
    expect(output).toContain("The default tenant relays its tasks to http://127.0.0.1:9 (upstream 'default', official paths)");
    expect(output).not.toContain(upstreamKey);
    expect(fs.readFileSync(path.join(dataDir, 'credentials.env'), 'utf8')).not.toContain(upstreamKey);
  }, 300_000);
});

describe('the notice on a terminal', () => {
  const created = { tenant_id: 't', name: 'default', api_key: 'kiln_abc', access_key: 'AK', secret_key: 'SK', webhook_secret: "whsec_it's" };

  it('prints export lines a shell can source, quoting each value', () => {
    const lines = credentialsNotice({ baseUrl: 'http://127.0.0.1:8080', created, adminToken: 'kadm_x', supplied: {} }, { isTTY: true, dataDir: tempDir() });
    expect(lines[0]).toMatch(/not shown again/);
    expect(lines.slice(1).map((l) => l.trim())).toEqual([
      "export KLING_BASE_URL='http://127.0.0.1:8080'", "export KLING_API_KEY='kiln_abc'", "export KLING_ACCESS_KEY='AK'",
      "export KLING_SECRET_KEY='SK'", "export KILN_WEBHOOK_SECRET='whsec_it'\\''s'", "export KILN_ADMIN_TOKEN='kadm_x'",
    ]);
  });

  it('says nothing when nothing was generated, and never overwrites an earlier file', () => {
    expect(exportLines({ baseUrl: 'u', created: undefined, supplied: {} })).toEqual([]);
    const dir = tempDir();
    const first = writeCredentialsFile(dir, ['export A=1'], new Date(0));
    const second = writeCredentialsFile(dir, ['export A=2'], new Date(1000));
    expect(first).not.toBe(second);
    expect(fs.readFileSync(first, 'utf8')).toContain('export A=1');
  });
});
