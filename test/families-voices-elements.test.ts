// Custom voices and elements through the HTTP API (spec §4.1, §4.2): a voice cloned from an uploaded recording or a
// stored video's sound, with a playable trial, usable by TTS; elements that show their reference images or video back,
// bind a voice (named, or cloned from the video's sound), and show "deleted" once deleted; all of it the tenant's own.

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../packages/server/src/engines/simulator/media/ffmpeg-paths.ts';
import { probeMedia } from '../packages/server/src/engines/simulator/media/probe.ts';
import { runProcess } from '../packages/server/src/engines/simulator/media/run-process.ts';
import { testImage, testVideo } from '../packages/server/src/engines/simulator/media/test-support.ts';
import { serveFiles, type FileServer } from './helpers/file-server.ts';
import { startTestServer, tempDir, waitForTask, type TestServer } from './helpers/test-server.ts';

const VOICES = '/v1/general/custom-voices';
const ELEMENTS = '/v1/general/advanced-custom-elements';
const work = tempDir('kiln-assets-');
let server: TestServer;
let files: FileServer;
let filesUrl: string;

/** A speech-like sound of `seconds`: a 180 Hz tone, loudness rising and falling four times a second. */
async function recording(name: string, seconds: number): Promise<void> {
  await runProcess(ffmpegPath(), [
    '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=180:sample_rate=22050:duration=${seconds}`,
    '-af', "volume='0.3+0.7*abs(sin(4*PI*t))':eval=frame", path.join(work, name),
  ]);
}

beforeAll(async () => {
  fs.writeFileSync(path.join(work, 'not-audio.mp3'), 'this is text, not a recording');
  fs.writeFileSync(path.join(work, 'frontal.png'), Buffer.from(await testImage(600, 800, '#2050a0'), 'base64'));
  fs.writeFileSync(path.join(work, 'side.jpg'), await sharp(Buffer.from(await testImage(800, 600, '#a05020'), 'base64')).jpeg().toBuffer());
  await Promise.all([
    recording('voice.wav', 8),
    recording('short.mp3', 3),
    recording('long.mp3', 32),
    testVideo(path.join(work, 'speech.mp4'), { width: 320, height: 240, seconds: 6 }),
    testVideo(path.join(work, 'person.mp4'), { width: 1280, height: 720, seconds: 4, fps: 24 }),
    testVideo(path.join(work, 'person-long.mp4'), { width: 1280, height: 720, seconds: 10, fps: 24 }),
  ]);
  files = await serveFiles(work);
  filesUrl = files.url;
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  await files?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const served = (name: string) => `${filesUrl}/${name}`;

async function finished(familyPath: string, body: object, token?: string) {
  const created = await server.api('POST', familyPath, { body, token });
  expect(created.json.code, created.json.message).toBe(0);
  return (await waitForTask(server, familyPath, created.json.data.task_id, 60_000, token)).json.data;
}

async function download(url: string, name: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  const file = path.join(work, name);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

async function tts(voiceId: string, token?: string) {
  return server.api('POST', '/v1/audio/tts', { body: { text: 'Good morning, everyone.', voice_id: voiceId, voice_language: 'en' }, token });
}

// Shared by the tests below: a voice cloned from the 8 s WAV, and an element made from the 4 s video with sound.
let voice: { task_id: string; voice_id: string; voice_name: string; trial_url: string; owned_by: string };
let videoElement: { task_id: string; element: any };

describe('custom-voices', () => {
  it('accepts the documented create example (which sends "video_id": "")', async () => {
    const body = { video_id: '', voice_url: 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/out.mp3', voice_name: 'Custom Voice', callback_url: '' };
    // The example's URL is Kling's: the task is told to fail rather than fetch it.
    const created = await server.api('POST', VOICES, { body, headers: { 'x-kiln-simulate': 'fail' } });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ code: 0, data: { task_status: 'submitted', task_info: { external_task_id: null } } });
  });

  it('clones a voice from an uploaded WAV: a new id, a playable MP3 trial, 0.05 units, usable by TTS', async () => {
    const task = await finished(VOICES, { voice_name: 'Narrator', voice_url: served('voice.wav'), external_task_id: 'voice-wav-1' });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(task.final_unit_deduction).toBe('0.05');
    const [made] = task.task_result.voices;
    expect(made).toEqual({ voice_id: expect.stringMatching(/^\d{18,20}$/), voice_name: 'Narrator', trial_url: expect.stringContaining('/media/'), owned_by: expect.stringMatching(/^\d+$/) });
    expect(made.voice_id).not.toBe(task.task_id);
    voice = { task_id: task.task_id, ...made };

    const trial = await probeMedia(await download(made.trial_url, 'trial.mp3'));
    expect(trial.format).toBe('mp3');
    expect(trial.audio?.codec).toBe('mp3');
    expect(trial.durationSeconds).toBeGreaterThan(4);

    const spoken = await tts(made.voice_id);
    expect(spoken.json.code, spoken.json.message).toBe(0);
    const audio = await probeMedia(await download(spoken.json.data.task_result.audios[0].url, 'tts.mp3'));
    expect(audio.durationSeconds).toBeGreaterThan(0);
  });

  it('clones from an MP4 video with sound, and from a stored video_id with sound; a silent video_id fails', async () => {
    const fromMp4 = await finished(VOICES, { voice_name: 'From video', voice_url: served('speech.mp4') });
    expect(fromMp4.task_status, fromMp4.task_status_msg).toBe('succeed');

    const t2v = '/v1/videos/text2video';
    const [withSound, silent] = await Promise.all([
      finished(t2v, { model_name: 'kling-v3', prompt: 'a woman says hello', mode: 'std', duration: '5', sound: 'on' }),
      finished(t2v, { model_name: 'kling-v3', prompt: 'a quiet lake', mode: 'std', duration: '5', sound: 'off' }),
    ]);
    const [fromVideo, fromSilent] = await Promise.all([
      finished(VOICES, { voice_name: 'Speaker', video_id: withSound.task_result.videos[0].id }),
      finished(VOICES, { voice_name: 'Nobody', video_id: silent.task_result.videos[0].id }),
    ]);
    expect(fromVideo.task_status, fromVideo.task_status_msg).toBe('succeed');
    expect(fromVideo.task_result.voices[0].voice_name).toBe('Speaker');
    expect((await tts(fromVideo.task_result.voices[0].voice_id)).json.code).toBe(0);
    expect(fromSilent.task_status).toBe('failed');
    expect(fromSilent.task_status_msg).toMatch(/^video_id: the video '\d+' has no sound track/);
    expect(fromSilent.final_unit_deduction).toBe('0');
  });

  it('a recording outside 5–30 s, or not a recording, fails the task naming voice_url', async () => {
    const [short, long, notAudio] = await Promise.all([
      finished(VOICES, { voice_name: 'Short', voice_url: served('short.mp3') }),
      finished(VOICES, { voice_name: 'Long', voice_url: served('long.mp3') }),
      finished(VOICES, { voice_name: 'Text', voice_url: served('not-audio.mp3') }),
    ]);
    expect(short.task_status).toBe('failed');
    expect(short.task_status_msg).toMatch(/^voice_url: the recording lasts 3(\.\d+)? s; it must last 5–30 s$/);
    expect(long.task_status).toBe('failed');
    expect(long.task_status_msg).toMatch(/^voice_url: the recording lasts 32(\.\d+)? s; it must last 5–30 s$/);
    expect(notAudio.task_status).toBe('failed');
    expect(notAudio.task_status_msg).toMatch(/^voice_url: no sound track to clone/);
  });

  it('is found by external_task_id and in lists of up to 1000 a page', async () => {
    const byExternal = await server.api('GET', `${VOICES}?external_task_id=voice-wav-1`);
    expect(byExternal.json.data.task_id).toBe(voice.task_id);
    const byPath = await server.api('GET', `${VOICES}/voice-wav-1`);
    expect(byPath.json.data.task_result.voices[0].voice_id).toBe(voice.voice_id);
    const page = await server.api('GET', `${VOICES}?pageNum=1&pageSize=1000`);
    expect(page.json.code).toBe(0);
    expect(page.json.data.map((t: any) => t.task_id)).toContain(voice.task_id);
    const tooBig = await server.api('GET', `${VOICES}?pageNum=1&pageSize=1001`);
    expect(tooBig.json.code).toBe(1201);
    expect(tooBig.json.message).toMatch(/pageSize/);
  });
});

describe('advanced-custom-elements', () => {
  it('image_refer: the frontal and refer images come back as kiln files of the same sizes, with the preset voice and tags', async () => {
    // The documented multi-image example, its placeholders filled with real inputs (one URL, one Base64 image).
    const task = await finished(ELEMENTS, {
      element_name: 'Card', element_description: 'a blue card with a disc', reference_type: 'image_refer',
      element_image_list: {
        frontal_image: served('frontal.png'),
        refer_images: [{ image_url: served('side.jpg') }, { image_url: await testImage(500, 500, '#30a050') }],
      },
      element_voice_id: 'oversea_male1', callback_url: '', external_task_id: '', tag_list: [{ tag_id: 'o_102' }],
    });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(task.final_unit_deduction).toBe('0');
    const [element] = task.task_result.elements;
    expect(element).toMatchObject({
      element_id: expect.stringMatching(/^\d{18,20}$/), element_name: 'Card', element_description: 'a blue card with a disc',
      reference_type: 'image_refer', element_video_list: {}, tag_list: [{ tag_id: 'o_102', tag_name: 'Character' }],
      owned_by: voice.owned_by, status: 'succeed',
      element_voice_info: { voice_id: 'oversea_male1', voice_name: 'Anchor', owned_by: 'kling' },
    });
    const { frontal_image, refer_images } = element.element_image_list;
    const sizes = await Promise.all([frontal_image, ...refer_images.map((r: any) => r.image_url)].map(async (url: string, i) =>
      sharp(await download(url, `element-${i}`)).metadata()));
    expect(sizes.map((m) => [m.format, m.width, m.height])).toEqual([['png', 600, 800], ['jpeg', 800, 600], ['png', 500, 500]]);
    const trial = await probeMedia(await download(element.element_voice_info.trial_url, 'preset-trial.mp3'));
    expect(trial.durationSeconds).toBeGreaterThan(0);
  });

  it('video_refer: a 4 s video with sound is kept and makes a bound custom voice, which TTS accepts', async () => {
    const task = await finished(ELEMENTS, {
      element_name: 'Presenter', element_description: 'a person who talks', reference_type: 'video_refer',
      element_video_list: { refer_videos: [{ video_url: served('person.mp4') }] }, element_voice_id: '', tag_list: [{ tag_id: 'o_101' }],
    });
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    const [element] = task.task_result.elements;
    videoElement = { task_id: task.task_id, element };
    expect(element.element_image_list).toEqual({});
    const kept = await probeMedia(await download(element.element_video_list.refer_videos[0].video_url, 'element.mp4'));
    expect(kept.durationSeconds).toBeCloseTo(4, 1);
    expect([kept.video?.width, kept.video?.height]).toEqual([1280, 720]);
    expect(kept.audio).toBeDefined();
    expect(element.element_voice_info).toEqual({
      voice_id: expect.stringMatching(/^\d{18,20}$/), voice_name: 'Presenter', trial_url: expect.stringContaining('/media/'), owned_by: voice.owned_by,
    });
    expect((await probeMedia(await download(element.element_voice_info.trial_url, 'element-voice.mp3'))).format).toBe('mp3');
    expect((await tts(element.element_voice_info.voice_id)).json.code).toBe(0);
  });

  it('element_voice_id binds one of the tenant\'s custom voices; a 10 s video fails naming the field', async () => {
    const [bound, long] = await Promise.all([
      finished(ELEMENTS, {
        element_name: 'Bound', element_description: 'speaks with the cloned voice', reference_type: 'video_refer',
        element_video_list: { refer_videos: [{ video_url: served('person.mp4') }] }, element_voice_id: voice.voice_id,
      }),
      finished(ELEMENTS, {
        element_name: 'Long', element_description: 'too long', reference_type: 'video_refer',
        element_video_list: { refer_videos: [{ video_url: served('person-long.mp4') }] },
      }),
    ]);
    expect(bound.task_status, bound.task_status_msg).toBe('succeed');
    // The named voice wins over the video's own sound: no second voice is cloned.
    expect(bound.task_result.elements[0].element_voice_info).toMatchObject({ voice_id: voice.voice_id, voice_name: 'Narrator', owned_by: voice.owned_by });
    expect(long.task_status).toBe('failed');
    expect(long.task_status_msg).toMatch(/^element_video_list\.refer_videos\[0\]\.video_url: the video lasts 10(\.\d+)? s; it must last 3–8 s$/);
  });

  it('delete-elements: the element task then shows status "deleted" (query and list); delete-voices stops TTS', async () => {
    const { task_id, element } = videoElement;
    const deleted = await server.api('POST', '/v1/general/delete-elements', { body: { element_id: element.element_id } });
    expect(deleted.json.code, deleted.json.message).toBe(0);
    const after = await server.api('GET', `${ELEMENTS}/${task_id}`);
    expect(after.json.data.task_status).toBe('succeed');
    expect(after.json.data.task_result.elements[0]).toMatchObject({ element_id: element.element_id, status: 'deleted' });
    const listed = (await server.api('GET', `${ELEMENTS}?pageNum=1&pageSize=500`)).json.data.find((t: any) => t.task_id === task_id);
    expect(listed.task_result.elements[0].status).toBe('deleted');

    const voiceDeleted = await server.api('POST', '/v1/general/delete-voices', { body: { voice_id: element.element_voice_info.voice_id } });
    expect(voiceDeleted.json.code).toBe(0);
    const refused = await tts(element.element_voice_info.voice_id);
    expect(refused.json.code).toBe(1201);
    expect(refused.json.message).toMatch(/^voice_id: voice '\d+' has been deleted/);
  });

  it("another tenant cannot query, delete or use the tenant's voices and elements", async () => {
    const other = await server.addTenant('other');
    const token = other.api_key;
    const query = await server.api('GET', `${VOICES}/${voice.task_id}`, { token });
    expect([query.status, query.json.code, query.json.message]).toEqual([400, 1201, `Task not found by id/external id: ${voice.task_id}`]);
    expect((await server.api('GET', `${ELEMENTS}/${videoElement.task_id}`, { token })).json.message).toMatch(/^Task not found by id\/external id/);
    const deleteVoice = await server.api('POST', '/v1/general/delete-voices', { body: { voice_id: voice.voice_id }, token });
    expect(deleteVoice.json.code).toBe(1203);
    const deleteElement = await server.api('POST', '/v1/general/delete-elements', { body: { element_id: videoElement.element.element_id }, token });
    expect(deleteElement.json.code).toBe(1203);
    expect((await tts(voice.voice_id, token)).json.code).toBe(1201);
    // Binding it is refused at create (1201) or fails the task; either way naming element_voice_id.
    const bind = await server.api('POST', ELEMENTS, {
      token,
      body: {
        element_name: 'Thief', element_description: 'borrows a voice', reference_type: 'image_refer', element_voice_id: voice.voice_id,
        element_image_list: { frontal_image: served('frontal.png'), refer_images: [{ image_url: served('side.jpg') }] },
      },
    });
    const message = bind.json.code === 0
      ? (await waitForTask(server, ELEMENTS, bind.json.data.task_id, 60_000, token)).json.data.task_status_msg
      : bind.json.message;
    expect(message).toMatch(/^element_voice_id: /);
    // The owner's voice is untouched.
    expect((await tts(voice.voice_id)).json.code).toBe(0);
  });
});
