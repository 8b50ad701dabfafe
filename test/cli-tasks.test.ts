// `kiln tasks get|list|wait|download`, where credentials come from, and the exit codes scripts rely on:
// 0 ok, 2 invalid input, 3 API error, 4 task failed, 5 timeout — each with a message that says what to do.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from './helpers/test-server.ts';
import { clientFor, unreachableImageUrl } from './helpers/sdk-samples.ts';
import { cliEnv, runCli } from './helpers/cli-run.ts';

let live: TestServer;
let stalled: TestServer;
let env: Record<string, string>;
let doneTaskId: string;
beforeAll(async () => {
  [live, stalled] = await Promise.all([startTestServer(), startTestServer({ workers: false })]);
  env = cliEnv({ KLING_API_KEY: live.creds.api_key, KLING_BASE_URL: live.url });
  const task = await clientFor(live).images.generations.createAndWait({ prompt: 'a boat', aspect_ratio: '1:1', n: 2, external_task_id: 'cli-tasks-boat' });
  doneTaskId = task.task_id;
});
afterAll(async () => {
  await Promise.all([live?.close(), stalled?.close()]);
});

const omni = ['video', 'omni', '--prompt', 'a kite', '--aspect-ratio', '16:9', '--mode', 'std', '--duration', '3'];

describe('kiln tasks', () => {
  it('get finds a task by id or external id without being told its family', async () => {
    for (const id of [doneTaskId, 'cli-tasks-boat']) {
      const run = await runCli(['tasks', 'get', id, '--json'], { env });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ task_id: doneTaskId, task_status: 'succeed' });
    }
    const human = await runCli(['tasks', 'get', doneTaskId], { env });
    expect(human.stdout).toMatch(new RegExp(`task ${doneTaskId} succeed in [\\d.]+s, 16 units\\n  image 0: http`));
  });

  it('list shows tasks newest first, across families or in one', async () => {
    const all = await runCli(['tasks', 'list', '--json'], { env });
    expect(all.code, all.stderr).toBe(0);
    const rows = JSON.parse(all.stdout);
    expect(rows.some((r: any) => r.task_id === doneTaskId && r.family === 'generations')).toBe(true);
    const times = rows.map((r: any) => r.created_at);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const text = await runCli(['tasks', 'list', '--family', 'video/omni'], { env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toContain(doneTaskId);
  });

  it('wait -o and download save the results; download resumes nothing when complete', async () => {
    const dir = tempDir('kiln-cli-dl-');
    const waited = await runCli(['tasks', 'wait', doneTaskId, '-o', dir], { env });
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toContain(`saved ${path.join(dir, `${doneTaskId}-0.png`)}`);
    const other = tempDir('kiln-cli-dl-');
    const downloaded = await runCli(['tasks', 'download', 'cli-tasks-boat', '-o', other, '--json'], { env });
    expect(downloaded.code, downloaded.stderr).toBe(0);
    const files = JSON.parse(downloaded.stdout).files.map((f: any) => path.basename(f.path));
    expect(files).toEqual([`${doneTaskId}-0.png`, `${doneTaskId}-1.png`]);
    expect(fs.readdirSync(other).sort()).toEqual(files);
  });

  it('an unknown id is an API error (exit 3) naming the id', async () => {
    const run = await runCli(['tasks', 'get', '123456789012345678'], { env });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Task not found by id\/external id: 123456789012345678 \(asked every family: /);
  });
});

describe('exit codes', () => {
  it('2 for input the contract refuses, with its message, sending nothing', async () => {
    const run = await runCli(['video', 'omni', '--prompt', 'x', '--mode', 'ultra'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("mode: must be one of 'std', 'pro', '4k'");
    const badFlag = await runCli(['video', 'text', '--prompt', 'x', '--camera-control', '{nope'], { env });
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/not valid JSON/);
  });

  it('3 for an API error; the key is never printed', async () => {
    const secret = 'kiln_this-key-is-wrong-and-secret';
    const run = await runCli([...omni, '--api-key', secret], { env });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/1002 /);
    expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('4 when the task fails, with the reason', async () => {
    const image = await unreachableImageUrl();
    const run = await runCli(['video', 'image', '--model-name', 'kling-v3', '--image', image, '--mode', 'std', '--duration', '3', '--wait'], { env });
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/^task \d+ submitted/);
    expect(run.stderr).toMatch(/failed: .*image/);
  });

  it('5 when waiting times out: the task id came first, and the message says how to resume', async () => {
    const stalledEnv = cliEnv({ KLING_API_KEY: stalled.creds.api_key, KLING_BASE_URL: stalled.url });
    const run = await runCli([...omni, '--wait', '--timeout', '1'], { env: stalledEnv });
    expect(run.code).toBe(5);
    const id = /^task (\d+) submitted/.exec(run.stdout)?.[1];
    expect(id).toBeTruthy();
    expect(run.stderr).toContain('may still complete');
    expect(run.stderr).toContain(`kiln tasks wait ${id} --family omni-video`);
  });
});

describe('credentials', () => {
  it('come from the config file when neither flags nor environment give them', async () => {
    const home = tempDir('kiln-home-');
    fs.mkdirSync(path.join(home, '.config', 'kiln'), { recursive: true });
    const file = path.join(home, '.config', 'kiln', 'config.json');
    fs.writeFileSync(file, JSON.stringify({ access_key: live.creds.access_key, secret_key: live.creds.secret_key, base_url: live.url }), { mode: 0o600 });
    const run = await runCli(['tasks', 'get', doneTaskId, '--json'], { env: { ...cliEnv(), HOME: home } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('flags win over the environment, which wins over the config file', async () => {
    const home = tempDir('kiln-home-');
    fs.mkdirSync(path.join(home, '.config', 'kiln'), { recursive: true });
    fs.writeFileSync(path.join(home, '.config', 'kiln', 'config.json'), JSON.stringify({ api_key: 'kiln_wrong_in_file', base_url: live.url }), { mode: 0o600 });
    const envWins = await runCli(['tasks', 'get', doneTaskId], { env: { ...cliEnv({ KLING_API_KEY: live.creds.api_key }), HOME: home } });
    expect(envWins.code, envWins.stderr).toBe(0);
    const flagWins = await runCli(['tasks', 'get', doneTaskId, '--api-key', live.creds.api_key], {
      env: { ...cliEnv({ KLING_API_KEY: 'kiln_wrong_in_env' }), HOME: home },
    });
    expect(flagWins.code, flagWins.stderr).toBe(0);
  });

  it('without any, says where to put them (exit 2)', async () => {
    const run = await runCli(['tasks', 'list'], { env: cliEnv() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no credentials: use --api-key .* KLING_API_KEY/);
  });
});
