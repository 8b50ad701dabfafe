// `kiln tenant|key|pack` on the data directory of a running server (another process): a team adds a tenant and
// named keys, revokes one and the running server refuses it at once while the other keys work, changes limits and
// gives packs. The real `kiln` binary runs in a child process.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from './helpers/cli-run.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server.close(); });

const kiln = async (...args: string[]) => {
  const result = await runCli([...args, '--data-dir', server.dataDir], { env: cliEnv() });
  return result;
};
const ok = async (...args: string[]) => {
  const result = await kiln(...args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
};
const code = async (apiKey: string) => (await server.api('GET', '/v1/videos/text2video?pageSize=1', { token: apiKey })).json.code;

// Each command is a fresh node process compiling TypeScript (seconds on a busy machine), and a test runs several.
describe('kiln tenant, key and pack', { timeout: 300_000 }, () => {
  it('adds a tenant, keys of both kinds, and revokes one: the running server refuses it at once, the others work', async () => {
    const tenant = JSON.parse(await ok('tenant', 'add', 'team-a', '--concurrency', 'video=4,image=8', '--json'));
    expect(await code(tenant.api_key)).toBe(0);
    const ci = JSON.parse(await ok('key', 'add', 'team-a', '--name', 'ci', '--json'));
    const pair = JSON.parse(await ok('key', 'add', 'team-a', '--name', 'backend', '--type', 'ak-sk', '--json'));
    expect(pair).toMatchObject({ name: 'backend', kind: 'access_key' });
    expect(pair.secret_key).toBeTruthy();
    expect(await code(ci.api_key)).toBe(0);

    expect(await ok('key', 'revoke', 'team-a', 'ci')).toContain('revoked');
    expect(await code(ci.api_key)).toBe(1002);
    expect(await code(tenant.api_key)).toBe(0);

    const keys = JSON.parse(await ok('key', 'list', 'team-a', '--json'));
    expect(keys.map((k: any) => [k.name, k.type, k.revoked_at !== null])).toEqual([
      ['default', 'api_key', false], ['default-ak', 'access_key', false], ['ci', 'api_key', true], ['backend', 'access_key', false],
    ]);
    expect(keys.find((k: any) => k.name === 'default').last_used_at).toBeGreaterThan(0);
    const listed = await ok('key', 'list', 'team-a');
    expect(listed).not.toContain(ci.api_key);
    expect(listed).not.toContain(pair.secret_key);
  });

  it('shows and sets limits and timing, gives packs, lists tenants', async () => {
    await ok('tenant', 'add', 'team-b', '--json');
    expect(await ok('tenant', 'set', 'team-b', '--concurrency', '3', '--timing', 'instant')).toContain('video=3 image=3 try-on=3 timing=instant');
    expect(await ok('tenant', 'set', 'team-b', '--video', '9', '--timing', 'server')).toContain('video=9 image=3 try-on=3 timing=server default');
    const pack = JSON.parse(await ok('pack', 'add', 'team-b', '--type', 'video', '--units', '1000', '--expires', '90d', '--json'));
    expect(pack).toMatchObject({ type: 'video', total_units: 1000, status: 'online' });
    expect(pack.invalid_time - Date.now()).toBeGreaterThan(89 * 24 * 3600_000);
    const shown = JSON.parse(await ok('tenant', 'show', 'team-b', '--json'));
    expect(shown.concurrency).toEqual({ video: 9, image: 3, 'try-on': 3 });
    expect(shown.packs.some((p: any) => p.total_units === 1000 && p.type === 'video')).toBe(true);
    expect(await ok('tenant', 'show', 'team-b')).toMatch(/video\t1000\/1000 units\tonline/);
    expect(await ok('tenant', 'list')).toMatch(/^team-b\tvideo=9 image=3 try-on=3/m);
  });

  it('says what is wrong, naming the field, with a non-zero exit', async () => {
    const cases: [string[], RegExp][] = [
      [['tenant', 'set', 'nobody', '--video', '2'], /no tenant named 'nobody'/],
      [['tenant', 'set', 'team-a'], /nothing to change/],
      [['tenant', 'add', 'bad name'], /name: must be letters, digits/],
      [['key', 'revoke', 'team-a', 'ci'], /no live key named 'ci'/],
      [['key', 'add', 'team-a', '--type', 'password'], /api-key .* or ak-sk/],
      [['pack', 'add', 'team-a', '--type', 'audio', '--units', '5'], /type: must be one of video, image, try-on/],
      [['pack', 'add', 'team-a', '--type', 'video', '--units', '5', '--expires', 'soon'], /number of days \(90d\) or a date/],
    ];
    for (const [args, message] of cases) {
      const result = await kiln(...args);
      expect({ args, code: result.code === 0 ? 0 : 'failed' }).toEqual({ args, code: 'failed' });
      expect(result.stderr).toMatch(message);
    }
  });

  it('removes a tenant: its keys stop working on the running server', async () => {
    const tenant = JSON.parse(await ok('tenant', 'add', 'team-c', '--json'));
    expect(await code(tenant.api_key)).toBe(0);
    await ok('tenant', 'remove', 'team-c');
    expect(await code(tenant.api_key)).toBe(1002);
  });
});
