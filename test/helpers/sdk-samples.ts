// For the SDK and CLI tests: a client pointed at a test server, a sample input image, and a small valid request
// for every family the contract defines (short, std, so a 2-core machine renders each in a second or two).

import sharp from 'sharp';
import { families } from '@kiln/contract';
import { Kling, type ClientOptions } from '@kiln/sdk';
import { waitForTask, type TestServer } from './test-server.ts';

/** A 640×480 PNG, two colours, as raw Base64 (the form Kling wants). */
export async function sampleImage(): Promise<Buffer> {
  const right = await sharp({ create: { width: 320, height: 480, channels: 3, background: '#1060d0' } }).png().toBuffer();
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#d04010' } })
    .composite([{ input: right, left: 320, top: 0 }]).png().toBuffer();
}

/**
 * One valid, quick request per family name. A family added to the contract needs an entry here. Families made from a
 * stored video (video-to-audio) get the id of a 3 s video made on `server` first.
 */
export async function sampleRequests(server?: TestServer): Promise<Record<string, Record<string, unknown>>> {
  const image = (await sampleImage()).toString('base64');
  const video = server ? await sampleVideo(server) : { id: '0', url: 'https://example.invalid/v.mp4' };
  const sessions = server ? await sampleSessions(server, video.id) : { face: '0', selection: '0' };
  const voiceUrl = server ? await sampleVoiceUrl(server) : 'https://example.invalid/voice.mp3';
  return {
    'omni-video': { prompt: 'a paper boat on a pond', aspect_ratio: '16:9', mode: 'std', duration: '3' },
    text2video: { model_name: 'kling-v3', prompt: 'a red fox in the snow', mode: 'std', duration: '3' },
    image2video: { model_name: 'kling-v3', image, prompt: 'the flag waves', mode: 'std', duration: '3' },
    'multi-image2video': { image_list: [{ image }], prompt: 'two friends wave', mode: 'std', duration: '5' },
    'omni-image': { prompt: 'a blue teapot', resolution: '1k', aspect_ratio: '1:1' },
    generations: { prompt: 'a lighthouse at dusk', aspect_ratio: '1:1', n: 1 },
    'multi-image2image': { subject_image_list: [{ subject_image: image }], prompt: 'the subject on a beach', aspect_ratio: '1:1' },
    effects: { effect_scene: 'pet_lion', input: { image } },
    'editing/expand': { image, up_expansion_ratio: 0.2, left_expansion_ratio: 0.5 },
    'kolors-virtual-try-on': { human_image: image, cloth_image: image },
    'text-to-audio': { prompt: 'rain on a tin roof', duration: 3 },
    'ai-multi-shot': { element_frontal_image: image },
    'video-to-audio': { video_id: video.id, sound_effect_prompt: 'footsteps' },
    'video-extend': { video_id: video.id, prompt: 'the camera keeps moving' },
    'motion-control': { image_url: image, video_url: video.url, character_orientation: 'video', mode: 'std' },
    'avatar/image2video': { image, sound_file: sampleSound().toString('base64'), mode: 'std' },
    'advanced-lip-sync': {
      session_id: sessions.face,
      face_choose: [{ face_id: '0', sound_file: sampleSound().toString('base64'), sound_start_time: 0, sound_end_time: 2000, sound_insert_time: 0 }],
    },
    'multi-elements': { session_id: sessions.selection, edit_mode: 'removal', prompt: 'remove the object from <<<video_1>>>' },
    'lip-sync': { input: { video_id: video.id, mode: 'audio2video', audio_type: 'file', audio_file: sampleSound().toString('base64') } },
    'custom-voices': { voice_name: 'Sample Voice', voice_url: voiceUrl },
    'advanced-custom-elements': {
      element_name: 'Sample', element_description: 'a two-colour card', reference_type: 'image_refer',
      element_image_list: { frontal_image: image, refer_images: [{ image_url: image }] },
    },
  };
}

/** The URL of a 6 s TTS MP3 on `server`: a recording long enough (5–30 s) to clone a voice from. */
export async function sampleVoiceUrl(server: TestServer): Promise<string> {
  const text = 'This is a short recording of one clear voice, read slowly and evenly, so that a new custom voice can be cloned from it today.';
  const tts = await server.api('POST', '/v1/audio/tts', { body: { text, voice_id: 'oversea_male1', voice_language: 'en' } });
  if (tts.status !== 200) throw new Error(`tts: ${JSON.stringify(tts.json)}`);
  return tts.json.data.task_result.audios[0].url;
}

/** An identify-face session (advanced-lip-sync) and an init-selection session (multi-elements) on a 5 s video of `server`. */
export async function sampleSessions(server: TestServer, videoId: string): Promise<{ face: string; selection: string }> {
  const open = async (route: string) => {
    const res = await server.api('POST', route, { body: { video_id: videoId } });
    if (res.status !== 200) throw new Error(`${route}: ${JSON.stringify(res.json)}`);
    return res.json.data.session_id as string;
  };
  return { face: await open('/v1/videos/identify-face'), selection: await open('/v1/videos/multi-elements/init-selection') };
}

/** A finished 5 s kling-v1-6 text2video video of the server's default tenant (one video-extend takes): id and URL. */
export async function sampleVideo(server: TestServer): Promise<{ id: string; url: string }> {
  const path = '/v1/videos/text2video';
  const created = await server.api('POST', path, { body: { model_name: 'kling-v1-6', prompt: 'a source video', mode: 'std', duration: '5' } });
  const done = await waitForTask(server, path, created.json.data.task_id, 60_000);
  return done.json.data.task_result.videos[0];
}

/** A 2 s 440 Hz tone as a 16 kHz mono WAV (64 KB): a sound_file as short as avatar takes. */
export function sampleSound(seconds = 2): Buffer {
  const rate = 16_000;
  const data = Buffer.alloc(seconds * rate * 2);
  for (let i = 0; i < seconds * rate; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12_000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + data.length, 4); header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24); header.writeUInt32LE(rate * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
  header.write('data', 36); header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export const familiesWithoutSample = (samples: Record<string, unknown>) => families.filter((f) => !(f.name in samples)).map((f) => f.name);

/** Fast polling and retries, so tests spend their time on the server's work, not on sleeping. */
export function clientFor(server: TestServer, extra: ClientOptions = {}): Kling {
  return new Kling({
    provider: 'kiln',
    baseUrl: server.url,
    apiKey: server.creds.api_key,
    poll: { intervalMs: 150, maxIntervalMs: 600 },
    retry: { baseDelayMs: 50, maxDelayMs: 200 },
    waitTimeoutMs: 90_000,
    env: {},
    ...extra,
  });
}

/** An image URL nothing answers (a loopback port just closed): the task is accepted, then fails reading it. */
export async function unreachableImageUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/missing.png`;
}
