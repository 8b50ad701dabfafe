// The `kiln` commands of the synchronous endpoints against a real kiln server, with pipes (as a script runs them):
// one command per action of the contract with flags from its schema, --json and the summary for people, -o saving
// the media an answer links to, exit codes for 1201 / 1203, and the listings that show every endpoint.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '@kiln/contract';
import { startTestServer, tempDir, type TestServer } from './helpers/test-server.ts';
import { cliEnv, runCli } from './helpers/cli-run.ts';
import { sampleFor } from './helpers/action-samples.ts';
import { probeMedia } from '../packages/server/src/engines/simulator/media/probe.ts';

let server: TestServer;
let env: Record<string, string>;
let commands: Map<string, string[]>;
beforeAll(async () => {
  server = await startTestServer();
  env = cliEnv({ KLING_API_KEY: server.creds.api_key, KLING_BASE_URL: server.url });
  const listed = await runCli(['endpoints', '--json'], { env: cliEnv() });
  if (listed.code !== 0) throw new Error(listed.stderr);
  commands = new Map(JSON.parse(listed.stdout).filter((r: any) => r.kind === 'action').map((r: any) => [r.name, r.command.split(' ').slice(1)]));
});
afterAll(async () => { await server?.close(); });

/** The flags a user types for a request: --field-name value, objects and lists as JSON. */
const flagsOf = (params: Record<string, unknown>) => Object.entries(params).flatMap(([field, value]) => [
  `--${field.replace(/([a-z])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase()}`,
  typeof value === 'object' ? JSON.stringify(value) : String(value),
]);

const TTS = ['--text', 'Hello from the command line', '--voice-id', 'oversea_male1', '--voice-language', 'en'];

describe('one command per action', () => {
  it('lists a command for every action of the contract', () => {
    expect(actions.map((a) => a.name).filter((name) => !commands.has(name))).toEqual([]);
    expect(Object.fromEntries(['tts', 'identify-face', 'account/costs'].map((n) => [n, commands.get(n)!.join(' ')]))).toEqual({
      tts: 'audio tts', 'identify-face': 'video identify-face', 'account/costs': 'account costs',
    });
  });

  it.each(actions.map((a) => [a.name] as const))('%s: flags from the schema, --json prints the data', async (name) => {
    const { params, answer } = await sampleFor(name).valid(server);
    const run = await runCli([...commands.get(name)!, ...flagsOf(params), '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject(answer as object);
  });
});

describe('output', () => {
  it('prints a summary for people: the call, then the fields, lists one item a line', async () => {
    const run = await runCli(['audio', 'tts', ...TTS], { env });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('audio tts (POST /v1/audio/tts): ok');
    expect(lines).toContain('  task_status: succeed');
    expect(run.stdout).toMatch(/\n {6}- id: \d{18,19} {2}url: http:\/\/127\.0\.0\.1:\d+\/media\/\S+ {2}duration: [\d.]+\n/);
    // The voice list is paged by --page-size (camelCase query fields get kebab-case flags).
    const voices = await runCli(['general', 'presets-voices', '--page-size', '2'], { env });
    expect(voices.stdout.match(/voice_id: /g)).toHaveLength(2);
  });

  it('-o saves the media an answer links to: the TTS audio as a real MP3 of the answered length', async () => {
    const dir = tempDir('kiln-cli-actions-');
    const run = await runCli(['audio', 'tts', ...TTS, '-o', dir, '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const { data, files } = JSON.parse(run.stdout);
    const audio = data.task_result.audios[0];
    expect(files).toEqual([{ path: path.join(dir, `tts-${data.task_id}-audios-0.mp3`), bytes: expect.any(Number), url: audio.url }]);
    expect(fs.statSync(files[0].path).size).toBe(files[0].bytes);
    const probed = await probeMedia(files[0].path);
    expect(probed.format).toBe('mp3');
    expect(Math.abs(probed.durationSeconds - Number(audio.duration))).toBeLessThan(0.05);

    const text = await runCli(['audio', 'tts', ...TTS, '-o', dir], { env });
    expect(text.stdout).toMatch(new RegExp(`\\n  saved ${dir.replace(/[/\\\\.]/g, '\\$&')}/tts-\\d+-audios-0\\.mp3 {2}\\(\\d+(\\.\\d)? kB\\)\\n$`));
  });
});

describe('failures', () => {
  it('1201: prints the server\'s message (found locally or by the server) and exits 2, sending nothing locally', async () => {
    const server1201 = await server.api('POST', '/v1/audio/tts', { body: { voice_id: 'oversea_male1' } });
    expect(server1201.json.code).toBe(1201);
    const local = await runCli(['audio', 'tts', '--voice-id', 'oversea_male1'], { env });
    expect([local.code, local.stdout, local.stderr]).toEqual([2, '', `kiln: 1201 ${server1201.json.message}\n`]);
    const remote = await runCli(['audio', 'tts', '--voice-id', 'oversea_male1', '--validation', 'off'], { env });
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(new RegExp(`^kiln: 1201 ${server1201.json.message} \\(request_id \\S+\\)\\n$`));
  });

  it('1203 (another API error) exits 3; --dry-run checks and prints the request without sending it', async () => {
    const missing = await runCli(['general', 'delete-voices', '--voice-id', '1'], { env });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^kiln: 1203 voice_id: no custom voice '1'/);
    const dry = await runCli(['account', 'costs', '--start-time', '0', '--end-time', '5', '--dry-run', '--json'], { env });
    expect([dry.code, JSON.parse(dry.stdout)]).toEqual([0, { start_time: 0, end_time: 5 }]);
    const dryBad = await runCli(['account', 'costs', '--start-time', '0', '--dry-run'], { env });
    expect([dryBad.code, dryBad.stderr]).toEqual([2, 'kiln: 1201 end_time is required\n']);
  });
});

describe('listings', () => {
  it('kiln models and kiln endpoints show every synchronous endpoint with its command', async () => {
    const [models, endpoints] = await Promise.all([runCli(['models'], { env: cliEnv() }), runCli(['endpoints'], { env: cliEnv() })]);
    for (const action of actions) {
      const title = action.title.replace(/[().]/g, '\\$&');
      const line = new RegExp(`kiln ${commands.get(action.name)!.join(' ')}\\s+${title} — ${action.method} ${action.path}\\n`);
      expect(models.stdout).toMatch(line);
      expect(endpoints.stdout).toMatch(line);
    }
  });
});
