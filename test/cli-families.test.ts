// The `kiln` command against a real kiln server, with pipes (as a script runs it): one command per family with
// flags from the contract, --wait --json -o, the request body from stdin, and `kiln models`.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { families } from '@kiln/contract';
import { TaskStore } from '../packages/server/src/store/tasks.ts';
import { startTestServer, tempDir, type TestServer } from './helpers/test-server.ts';
import { sampleImage, sampleSessions, sampleSound, sampleVideo, sampleVoiceUrl } from './helpers/sdk-samples.ts';
import { cliEnv, runCli } from './helpers/cli-run.ts';

let server: TestServer;
let env: Record<string, string>;
let imageFile: string;
let video: { id: string; url: string };
let soundFile: string;
let sessions: { face: string; selection: string };
let voiceUrl: string;
beforeAll(async () => {
  server = await startTestServer();
  env = cliEnv({ KLING_API_KEY: server.creds.api_key, KLING_BASE_URL: server.url });
  imageFile = path.join(tempDir('kiln-img-'), 'subject.png');
  fs.writeFileSync(imageFile, await sampleImage());
  video = await sampleVideo(server);
  sessions = await sampleSessions(server, video.id);
  voiceUrl = await sampleVoiceUrl(server);
  soundFile = path.join(tempDir('kiln-snd-'), 'voice.wav');
  fs.writeFileSync(soundFile, sampleSound());
});
afterAll(async () => { await server?.close(); });

/** The command a user types for each family (document-like: these are the README's mapping). */
const commands = (): Record<string, string[]> => ({
  'omni-video': ['video', 'omni', '--prompt', 'a paper boat', '--aspect-ratio', '16:9', '--mode', 'std', '--duration', '3'],
  text2video: ['video', 'text', '--model-name', 'kling-v3', '--prompt', 'a fox in snow', '--mode', 'std', '--duration', '3'],
  image2video: ['video', 'image', '--model-name', 'kling-v3', '--image', imageFile, '--prompt', 'it moves', '--mode', 'std', '--duration', '3'],
  'multi-image2video': ['video', 'multi-image', '--image-list', imageFile, '--image-list', imageFile, '--prompt', 'two friends', '--mode', 'std', '--duration', '5'],
  'omni-image': ['image', 'omni', '--prompt', 'a blue teapot', '--resolution', '1k', '--aspect-ratio', '1:1'],
  generations: ['image', 'generations', '--prompt', 'a lighthouse', '--n', '2', '--aspect-ratio', '1:1', '--watermark-info-enabled'],
  'multi-image2image': ['image', 'multi-image', '--subject-image-list', imageFile, '--prompt', 'the subject on a beach', '--aspect-ratio', '1:1'],
  effects: ['video', 'effects', '--effect-scene', 'pet_lion', '--input-image', imageFile],
  'editing/expand': ['image', 'editing-expand', '--image', imageFile, '--up-expansion-ratio', '0.2', '--left-expansion-ratio', '0.5'],
  'kolors-virtual-try-on': ['image', 'kolors-virtual-try-on', '--human-image', imageFile, '--cloth-image', imageFile],
  'text-to-audio': ['audio', 'text', '--prompt', 'rain on a tin roof', '--duration', '3'],
  'ai-multi-shot': ['general', 'ai-multi-shot', '--element-frontal-image', imageFile],
  'video-extend': ['video', 'video-extend', '--video-id', video.id, '--prompt', 'it goes on'],
  'motion-control': ['video', 'motion-control', '--image-url', imageFile, '--video-url', video.url, '--character-orientation', 'video', '--mode', 'std'],
  'avatar/image2video': ['video', 'avatar-image', '--image', imageFile, '--sound-file', soundFile, '--mode', 'std'],
  'video-to-audio': ['audio', 'video', '--video-id', video.id, '--sound-effect-prompt', 'footsteps'],
  'advanced-lip-sync': ['video', 'advanced-lip-sync', '--session-id', sessions.face, '--face-choose', JSON.stringify({
    face_id: '0', sound_file: sampleSound().toString('base64'), sound_start_time: 0, sound_end_time: 2000, sound_insert_time: 0,
  })],
  'multi-elements': ['video', 'multi-elements', '--session-id', sessions.selection, '--edit-mode', 'removal', '--prompt', 'remove the object'],
  'lip-sync': ['video', 'lip-sync', '--input-video-id', video.id, '--input-mode', 'text2video', '--input-text', 'hello there', '--input-voice-id', 'oversea_male1', '--input-voice-language', 'en'],
  'custom-voices': ['general', 'custom-voices', '--voice-name', 'CLI voice', '--voice-url', voiceUrl],
  'advanced-custom-elements': ['general', 'advanced-custom-elements', '--element-name', 'CLI card', '--element-description', 'a two-colour card',
    '--reference-type', 'image_refer', '--element-image-list-frontal-image', imageFile,
    '--element-image-list', JSON.stringify({ refer_images: [{ image_url: fs.readFileSync(imageFile).toString('base64') }] })],
});

describe('one command per family', () => {
  it('covers every family of the contract (add a command above for a new family)', () => {
    expect(families.map((f) => f.name).filter((n) => !(n in commands()))).toEqual([]);
  });

  it.each(families.map((f) => [f.name, f] as const))('%s: --wait --json -o saves the results and prints {task, files}', async (name, family) => {
    const dir = tempDir('kiln-cli-out-');
    const run = await runCli([...commands()[name], '--wait', '--json', '-o', dir], { env });
    expect(run.stderr).not.toMatch(/\x1b\[/);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.task.task_status).toBe('succeed');
    expect(run.stderr).toContain(`task ${out.task.task_id} submitted`);
    // Every list the family fills (video-to-audio: videos and audios); one file per media URL in it: audios bring an
    // mp3 and a wav, multi-shot views url_1…url_n, voices a trial, elements their images, video and bound voice.
    const results: Record<string, unknown>[] = [family.result].flat().flatMap((list) => out.task.task_result[list]);
    expect(out.files).toHaveLength(mediaUrlCount(results));
    for (const file of out.files) {
      expect(path.dirname(file.path)).toBe(dir);
      expect(fs.statSync(file.path).size).toBe(file.bytes);
      expect(file.bytes).toBeGreaterThan(100);
    }
    if (name === 'generations') expect(results[0].watermark_url).toBeTruthy();
  });
});

describe('input', () => {
  it('reads the body from stdin with --json-body -, flags overriding its fields; prints the created task without --wait', async () => {
    const body = JSON.stringify({ prompt: 'from stdin', aspect_ratio: '9:16', external_task_id: 'cli-stdin-1' });
    const run = await runCli(['image', 'generations', '--json-body', '-', '--aspect-ratio', '1:1', '--json'], { env, input: body });
    expect(run.code, run.stderr).toBe(0);
    const created = JSON.parse(run.stdout);
    expect(created.task_info.external_task_id).toBe('cli-stdin-1');
    const stored = await server.api('GET', `/v1/images/generations/cli-stdin-1`);
    const row = (await new TaskStore(server.kiln.db).byId(stored.json.data.task_id))!;
    expect(JSON.parse(row.request_json)).toMatchObject({ prompt: 'from stdin', aspect_ratio: '1:1' });
  });

  it('--dry-run validates and prints the body, creating nothing', async () => {
    const before = (await server.api('GET', '/v1/videos/omni-video?pageSize=500')).json.data.length;
    const run = await runCli(['video', 'omni', '--prompt', 'dry', '--aspect-ratio', '1:1', '--dry-run', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ prompt: 'dry', aspect_ratio: '1:1' });
    expect((await server.api('GET', '/v1/videos/omni-video?pageSize=500')).json.data.length).toBe(before);
  });

  it('names the family commands by one rule and answers --help for each', async () => {
    const help = await runCli(['video', '--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/omni\|omni-video/);
    expect(help.stdout).toMatch(/multi-image\|multi-image2video/);
    const omniHelp = await runCli(['video', 'omni-video', '--help'], { env });
    expect(omniHelp.stdout).toMatch(/--aspect-ratio <value>\s+one of 16:9, 9:16, 1:1/);
    expect(omniHelp.stdout).toMatch(/--image-list <value>/);
  });
});

describe('kiln models', () => {
  it('lists every family, its command and its models from the contract', async () => {
    const run = await runCli(['models', '--json'], { env: cliEnv() });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout).filter((f: any) => f.standard === 'legacy');
    expect(report.map((f: any) => f.family)).toEqual(families.map((f) => f.name));
    for (const family of families) {
      const entry = report.find((f: any) => f.family === family.name);
      expect(Object.keys(entry.models)).toEqual(Object.keys(family.models));
      expect(entry.default_model).toBe(family.defaultModel);
    }
    expect(report.find((f: any) => f.family === 'omni-video').command).toBe('kiln video omni');
    const text = await runCli(['models'], { env: cliEnv() });
    expect(text.stdout).toMatch(/kling-video-o1 \(default\)\s+modes std\/pro/);
  });
});

/** The media URLs in result items, watermarked copies aside (the CLI saves those only when asked). */
function mediaUrlCount(value: unknown, key = ''): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + mediaUrlCount(v, key), 0);
  if (value && typeof value === 'object') return Object.entries(value).reduce((n, [k, v]) => n + mediaUrlCount(v, k), 0);
  return typeof value === 'string' && /^https?:\/\//.test(value) && key !== 'watermark_url' ? 1 : 0;
}
