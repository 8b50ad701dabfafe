// Avatar through the HTTP API: a talking-portrait video exactly as long as its sound (an uploaded sound_file, or a
// TTS audio_id), with that sound as its track, billed per measured second; and the checks of audio_id and sound_file.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { probeMedia } from '../packages/server/src/engines/simulator/media/probe.ts';
import { startTestServer, tempDir, waitForTask, type TestServer } from './helpers/test-server.ts';
import { sampleImage, sampleSound } from './helpers/sdk-samples.ts';

const PATH = '/v1/videos/avatar/image2video';
let server: TestServer;
let image: string;
const dir = tempDir('kiln-avatar-');
beforeAll(async () => {
  server = await startTestServer();
  image = (await sampleImage()).toString('base64');
});
afterAll(async () => { await server?.close(); });

async function run(body: object) {
  const created = await server.api('POST', PATH, { body });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  return (await waitForTask(server, PATH, created.json.data.task_id, 60_000)).json.data;
}

async function probeUrl(url: string, name: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
  return probeMedia(file);
}

describe('avatar', () => {
  it('a sound_file of 3 s: a 3 s H.264 + AAC video framed like the portrait, billed 0.4 units a second', async () => {
    const task = await run({ image, sound_file: sampleSound(3).toString('base64'), prompt: 'she explains', mode: 'std' });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    const [video] = task.task_result.videos;
    expect(video.duration).toBe('3');
    const media = await probeUrl(video.url, 'avatar.mp4');
    expect(media.video?.codec).toBe('h264');
    expect(media.audio?.codec).toBe('aac');
    expect(media.durationSeconds).toBeCloseTo(3, 1);
    expect(media.video!.width / media.video!.height).toBeCloseTo(4 / 3, 1);
    expect(task.final_unit_deduction).toBe('1.2');
  });

  it('a TTS audio_id: the video follows its length', async () => {
    const tts = await server.api('POST', '/v1/audio/tts', { body: { text: 'Hello there, this is a short test of the avatar.', voice_id: 'genshin_vindi2', voice_language: 'en' } });
    if (tts.status !== 200) throw new Error(`tts: ${JSON.stringify(tts.json)}`);
    const audio = tts.json.data.task_result.audios[0];
    const task = await run({ image, audio_id: audio.id });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(Number(task.task_result.videos[0].duration)).toBeCloseTo(Number(audio.duration), 1);
  });

  it('refuses unknown and foreign audio ids, both or neither source, with 1201 naming the field', async () => {
    const unknown = await server.api('POST', PATH, { body: { image, audio_id: '123456789012345678' } });
    expect(unknown.json.code).toBe(1201);
    expect(unknown.json.message).toMatch(/^audio_id: no audio '123456789012345678'/);
    for (const body of [{ image }, { image, audio_id: '1', sound_file: sampleSound().toString('base64') }]) {
      const res = await server.api('POST', PATH, { body });
      expect(res.json.code).toBe(1201);
      expect(res.json.message).toMatch(/audio_id|sound_file/);
    }
  });

  it('a sound_file that is not audio, or too short, fails the task naming sound_file', async () => {
    const notAudio = await run({ image, sound_file: Buffer.from('not a sound at all').toString('base64') });
    expect(notAudio.task_status).toBe('failed');
    expect(notAudio.task_status_msg).toMatch(/^sound_file: /);
    const short = await run({ image, sound_file: sampleSound(1).toString('base64') });
    expect(short.task_status).toBe('failed');
    expect(short.task_status_msg).toMatch(/^sound_file: the audio lasts 1 s/);
  });
});
