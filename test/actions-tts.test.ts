// TTS (spec §3.3) against a real server: the documented task-shaped answer with a real MP3 of the planned length
// (measured with ffprobe), speed and language handling, preset and custom voices (own, another tenant's, deleted),
// the audio registered as an output for audio_id, and billing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomVoice } from '../packages/server/src/store/custom-assets.ts';
import { findOutput } from '../packages/server/src/store/outputs.ts';
import { unitsLeft } from '../packages/server/src/store/resource-packs.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { download, probeUrl } from './helpers/action-fixtures.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });

const EXAMPLE = {
  text: 'Throughout my time in college, several memorable event left a significant impact on my life',
  voice_id: 'oversea_male1',
  voice_language: 'en',
  voice_speed: 1,
};
const speak = (body: unknown, token?: string) => server.api('POST', '/v1/audio/tts', { body, token });
const refused = async (body: unknown, message: RegExp, token?: string) => {
  const res = await speak(body, token);
  expect([res.status, res.json.code, res.json.message]).toEqual([400, 1201, expect.stringMatching(message)]);
};
const voice = (id: string, tenantId: string, extra: Partial<{ status: string; language: string | null }> = {}) => addCustomVoice(server.kiln.db, {
  id, tenant_id: tenantId, task_id: null, name: 'Mine', language: null, trial_file: null, status: 'succeed',
  created_at: Date.now(), updated_at: Date.now(), ...extra,
});

describe('tts', () => {
  it('answers the documented example with a finished task and an MP3 of the planned 3.8 s', async () => {
    const units = () => unitsLeft(server.kiln.db, server.creds.tenant_id, 'video');
    const before = await units();
    const res = await speak(EXAMPLE);
    expect(await units()).toBeCloseTo(before - 0.05, 5);
    expect(res.status).toBe(200);
    const data = res.json.data;
    expect(data).toEqual({
      task_id: expect.stringMatching(/^\d{18,19}$/), task_status: 'succeed', task_status_msg: '',
      task_result: { audios: [{ id: expect.stringMatching(/^\d{18,19}$/), url: expect.stringContaining('/media/'), duration: '3.8' }] },
      final_unit_deduction: '0.05', created_at: expect.any(Number), updated_at: expect.any(Number),
    });
    const audio = await probeUrl(data.task_result.audios[0].url);
    expect(audio.format).toBe('mp3');
    expect(audio.audio).toMatchObject({ codec: 'mp3', channels: 1, sampleRate: 48000 });
    expect(Math.abs(audio.durationSeconds - 3.8)).toBeLessThanOrEqual(0.012);
    console.log(`tts: planned 3.8 s, ffprobe ${audio.durationSeconds} s, ${audio.bytes} bytes`);
    // Registered as the tenant's audio, so avatar / advanced-lip-sync can take it as audio_id.
    const output = await findOutput(server.kiln.db, server.creds.tenant_id, 'audio', data.task_result.audios[0].id);
    expect(output).toMatchObject({ task_id: data.task_id, seconds: 3.8, file: 'tts.mp3' });
    // The same request speaks the same sound.
    const again = await speak(EXAMPLE);
    expect((await download(again.json.data.task_result.audios[0].url)).equals(await download(data.task_result.audios[0].url))).toBe(true);
  });

  it('follows voice_speed, rounded into [0.8, 2.0] as documented', async () => {
    for (const [speed, seconds] of [[2, 1.9], [3, 1.9], [0.8, 4.7], [0.5, 4.7], ['1.25', 2.9]] as const) {
      const res = await speak({ ...EXAMPLE, voice_speed: speed });
      expect([speed, res.json.data.task_result.audios[0].duration]).toEqual([speed, String(seconds)]);
      const audio = await probeUrl(res.json.data.task_result.audios[0].url);
      expect(Math.abs(audio.durationSeconds - seconds)).toBeLessThanOrEqual(0.012);
    }
    await refused({ ...EXAMPLE, voice_speed: 'fast' }, /^voice_speed: must be a number/);
  });

  it('speaks Chinese with a voice that has it (voice_language defaults to zh), and refuses a voice that does not', async () => {
    const zh = await speak({ text: '你好欢迎来到可灵', voice_id: 'genshin_vindi2' });
    // 8 characters at 5 a second (the contract's plan).
    expect(zh.json.data.task_result.audios[0].duration).toBe('1.6');
    await refused({ text: 'hello there', voice_id: 'oversea_male1' }, /^voice_language: voice 'oversea_male1' speaks 'en', not 'zh'/);
    await refused({ ...EXAMPLE, voice_id: 'tiexin_nanyou' }, /^voice_language: voice 'tiexin_nanyou' speaks 'zh', not 'en'/);
  });

  it('takes the caller\'s own custom voices; another tenant\'s, a deleted or an unknown voice is refused', async () => {
    const other = await server.addTenant('other-tts');
    await voice('700000000000000001', server.creds.tenant_id);
    await voice('700000000000000002', other.tenant_id);
    await voice('700000000000000003', server.creds.tenant_id, { status: 'deleted' });
    await voice('700000000000000004', server.creds.tenant_id, { language: 'zh' });
    expect((await speak({ ...EXAMPLE, voice_id: '700000000000000001' })).json.code).toBe(0);
    expect((await speak({ ...EXAMPLE, voice_id: '700000000000000002' }, other.api_key)).json.code).toBe(0);
    await refused({ ...EXAMPLE, voice_id: '700000000000000002' }, /^voice_id: no voice '700000000000000002'; use a preset voice/);
    await refused({ ...EXAMPLE, voice_id: '700000000000000003' }, /^voice_id: voice '700000000000000003' has been deleted/);
    await refused({ ...EXAMPLE, voice_id: '700000000000000004' }, /^voice_language: voice '700000000000000004' speaks 'zh', not 'en'/);
    await refused({ ...EXAMPLE, voice_id: 'no_such_voice' }, /^voice_id: no voice 'no_such_voice'/);
  });

  it('checks the text: 1–1000 characters', async () => {
    const long = await speak({ ...EXAMPLE, text: 'word '.repeat(200).trim().padEnd(1000, 'x') });
    expect(long.json.code).toBe(0);
    expect(Number(long.json.data.task_result.audios[0].duration)).toBeCloseTo(50, 0);
    await refused({ ...EXAMPLE, text: 'x'.repeat(1001) }, /^text must be at most 1000 characters/);
    await refused({ ...EXAMPLE, text: '' }, /^text must not be empty/);
    await refused({ voice_id: 'oversea_male1' }, /^text is required/);
  });
});
