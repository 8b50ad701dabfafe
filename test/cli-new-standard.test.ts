// The `kiln` command on the new standard: the model chooses the standard (`kiln video text --model
// kling-3.0-turbo`, the legacy flags translated), `kiln tasks get` reads tasks of both standards, and `kiln models` /
// `kiln endpoints` list the new endpoints beside the legacy ones.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newStandardEndpoints } from '@kiln/contract';
import { startTestServer, tempDir, type TestServer } from './helpers/test-server.ts';
import { cliEnv, runCli } from './helpers/cli-run.ts';

let server: TestServer;
let env: Record<string, string>;
beforeAll(async () => {
  server = await startTestServer();
  env = cliEnv({ KLING_API_KEY: server.creds.api_key, KLING_BASE_URL: server.url });
});
afterAll(async () => { await server?.close(); });

describe('kiln video text --model <new-standard model>', () => {
  it('translates the flags into the new body (--dry-run shows it)', async () => {
    const run = await runCli(['video', 'text', '--model', 'kling-3.0', '--prompt', 'a fox', '--mode', 'pro', '--sound', 'on', '--duration', '4', '--aspect-ratio', '9:16', '--dry-run', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ prompt: 'a fox', settings: { resolution: '1080p', aspect_ratio: '9:16', duration: 4, audio: 'native' } });
  });

  it('creates on POST /text-to-video/kling-3.0-turbo, waits, downloads the video and prints the record', async () => {
    const out = tempDir('kiln-cli-ns-');
    const run = await runCli(['video', 'text', '--model', 'kling-3.0-turbo', '--prompt', 'a kite', '--duration', '3', '-o', out, '--json'], { env, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const { task, files } = JSON.parse(run.stdout);
    expect(task).toMatchObject({ status: 'succeeded', outputs: [{ type: 'video', duration: '3' }], billing: [{ amount: '2.4' }] });
    expect(run.stderr).toMatch(new RegExp(`task ${task.id} submitted: text-to-video/kling-3.0-turbo`));
    expect(files).toHaveLength(1);
    expect(fs.statSync(files[0].path).size).toBeGreaterThan(1000);
    expect(path.dirname(files[0].path)).toBe(out);
  });

  it('refuses a body the model does not take before sending, naming the field', async () => {
    const run = await runCli(['video', 'text', '--model', 'kling-2.6', '--prompt', 'x', '--duration', '7'], { env });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/settings\.duration value '7' is invalid/);
  });

  it('still sends a legacy model as model_name', async () => {
    const run = await runCli(['video', 'text', '--model', 'kling-v2-6', '--prompt', 'x', '--dry-run', '--json'], { env });
    expect(JSON.parse(run.stdout).model_name).toBe('kling-v2-6');
  });
});

describe('kiln tasks get', () => {
  it('shows tasks of both standards by id or external id', async () => {
    const ns = (await server.api('POST', '/text-to-video/kling-2.5-turbo', { body: { prompt: 'x', options: { external_task_id: 'cli-ns-1' } } })).json.data;
    const legacy = (await server.api('POST', '/v1/videos/text2video', { body: { prompt: 'y' } })).json.data;
    const run = await runCli(['tasks', 'get', legacy.task_id, 'cli-ns-1', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const [first, second] = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(first.task_id).toBe(legacy.task_id);
    expect(second).toMatchObject({ id: ns.id, external_id: 'cli-ns-1' });
    const missing = await runCli(['tasks', 'get', '123456789012345678'], { env });
    expect(missing.code).not.toBe(0);
  });
});

describe('kiln models and kiln endpoints', () => {
  it('list every new-standard endpoint with its command, and /tasks', async () => {
    const models = JSON.parse((await runCli(['models', '--json'], { env })).stdout).filter((m: any) => m.standard === 'new');
    expect(models.map((m: any) => m.path).sort()).toEqual(newStandardEndpoints.map((e) => e.path).sort());
    expect(models.find((m: any) => m.family === 'text-to-video/kling-3.0-turbo').command).toBe('kiln video text --model kling-3.0-turbo');
    const text = (await runCli(['models'], { env })).stdout;
    expect(text).toMatch(/New standard/);
    expect(text).toMatch(/kiln video omni --model kling-3.0-omni\s+Omni-Video \(kling-3.0-omni\) — POST \/omni-video\/kling-3.0-omni/);
    const endpoints = JSON.parse((await runCli(['endpoints', '--json'], { env })).stdout).filter((r: any) => r.kind === 'new-standard');
    expect(endpoints.flatMap((r: any) => r.endpoints)).toEqual(expect.arrayContaining(['POST /motion-control/kling-2.6', 'POST /tasks']));
  });
});
