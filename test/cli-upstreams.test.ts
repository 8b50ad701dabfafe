// `kiln upstream` on the data directory of a running relay server (another process): an upstream added by the CLI
// gets the server's next relayed task, a change made by the CLI routes the next one, secrets are never printed, and
// mistakes name the flag with a non-zero exit. The real `kiln` binary runs in a child process.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from './helpers/cli-run.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

const T2V = '/v1/videos/text2video';
let relay: TestServer;
let upstream: TestServer;

beforeAll(async () => {
  upstream = await startTestServer({ timing: 'instant' });
  relay = await startTestServer({ timing: 'instant', relayPollDelayMs: () => 200, relayListIntervalMs: 200 });
  await relay.api('PATCH', '/admin/tenants/default', { token: relay.kiln.adminToken, body: { engine: 'relay' } });
});
afterAll(async () => {
  await relay?.close();
  await upstream?.close();
});

const kiln = (...args: string[]) => runCli([...args, '--data-dir', relay.dataDir], { env: cliEnv() });
const ok = async (...args: string[]) => {
  const result = await kiln(...args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
};

async function relayedTo(model: string): Promise<number> {
  const created = await relay.api('POST', T2V, { body: { prompt: `a ${model} task`, duration: '5', model_name: model } });
  if (created.json.code !== 0) return created.json.code;
  const done = await waitForTask(relay, T2V, created.json.data.task_id, 60_000);
  expect(done.json.data.task_status).toBe('succeed');
  const mine = (await upstream.api('GET', `${T2V}?pageNum=1&pageSize=500`)).json.data
    .filter((t: any) => t.task_info.external_task_id === `kiln-${created.json.data.task_id}`);
  return mine.length;
}

// Each command is a fresh node process compiling TypeScript (seconds on a busy machine), and a test runs several.
describe('kiln upstream', { timeout: 300_000 }, () => {
  it('adds, lists, sets and removes upstreams of a running server, which routes by them; secrets never printed', async () => {
    const secret = upstream.creds.secret_key;
    const added = JSON.parse(await ok('upstream', 'add', 'sim', '--base-url', upstream.url, '--access-key', upstream.creds.access_key, '--secret-key', secret,
      '--models', 'kling-v1', '--priority', '5', '--concurrency', 'video=3', '--webhook-secret', 'whsec_c2ltLXdlYmhvb2s=', '--json'));
    expect(added).toMatchObject({ name: 'sim', models: ['kling-v1'], priority: 5, concurrency: { video: 3 }, secret_key_set: true, webhook_secret_set: true });

    // The running server sees it: a kling-v1 task goes there; a model it does not carry finds no upstream.
    expect(await relayedTo('kling-v1')).toBe(1);
    expect(await relayedTo('kling-v2-6')).toBe(5000);

    await ok('upstream', 'set', 'sim', '--models', 'kling-v1,kling-v2-6', '--api-key', upstream.creds.api_key);
    await new Promise((r) => setTimeout(r, 1_100)); // the server reads the registry at most a second old
    expect(await relayedTo('kling-v2-6')).toBe(1);

    const printed = [
      await ok('upstream', 'list'), await ok('upstream', 'list', '--json'), await ok('upstream', 'show', 'sim'), await ok('upstream', 'show', 'sim', '--json'),
    ].join('\n');
    expect(printed).toMatch(/^sim\t.*\tofficial\tpriority=5\tconcurrency=video=3\tmodels=kling-v1,kling-v2-6/m);
    expect(printed).toContain('webhook secret  (set)');
    expect(printed).toMatch(/\thealth=healthy$/m);
    expect(printed).toContain('health          healthy');
    for (const s of [secret, upstream.creds.api_key, 'c2ltLXdlYmhvb2s']) expect(printed).not.toContain(s);

    // The account's own packs, as its /account/costs reports them.
    const packs = (await upstream.api('GET', `/account/costs?start_time=0&end_time=${Date.now()}`)).json.data.resource_pack_subscribe_infos;
    const costs = await ok('upstream', 'costs', 'sim');
    for (const p of packs) expect(costs).toContain(`${p.resource_pack_name}\t${p.resource_pack_type}\t${p.remaining_quantity} of ${p.total_quantity} left`);
    expect(JSON.parse(await ok('upstream', 'costs', 'sim', '--json', '--days', '7')).resource_pack_subscribe_infos.length).toBeGreaterThan(0);

    await ok('upstream', 'remove', 'sim');
    expect(JSON.parse(await ok('upstream', 'list', '--json'))).toEqual([]);
  });

  it('says what is wrong, naming the flag, with a non-zero exit', async () => {
    const cases: [string[], RegExp][] = [
      [['upstream', 'add', 'x', '--base-url', 'ftp://nowhere', '--api-key', 'k'], /--base-url: must be an http/],
      [['upstream', 'add', 'x', '--base-url', 'https://a.example.com'], /--api-key: an upstream needs api_key, or access_key and secret_key/],
      [['upstream', 'add', 'x', '--base-url', 'https://a.example.com', '--api-key', 'k', '--results', 'copy'], /--results: must be one of archive, passthrough/],
      [['upstream', 'add', 'x', '--base-url', 'https://a.example.com', '--api-key', 'k', '--concurrency', 'audio=2'], /--concurrency.*video=5,image=10,try-on=2/],
      [['upstream', 'set', 'nobody', '--priority', '1'], /no upstream named 'nobody'/],
    ];
    for (const [args, message] of cases) {
      const result = await kiln(...args);
      expect({ args, code: result.code === 0 ? 0 : 'failed' }).toEqual({ args, code: 'failed' });
      expect(result.stderr).toMatch(message);
    }
  });
});
