// kiln with KILN_STORAGE_URL: a task's outputs are uploaded to the bucket before it shows `succeed`, and its
// result URLs (kiln's own, signed) are served from the bucket, whole or by byte range.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Storage } from '../packages/server/src/storage/s3-storage.ts';
import { startS3TestServer, type S3TestServer } from '../packages/server/src/storage/s3-test-server.ts';
import { addOutput } from '../packages/server/src/store/outputs.ts';
import { newTaskId } from '../packages/server/src/tasks/ids.ts';
import { makeImage, makeVideo } from './helpers/action-fixtures.ts';
import { sampleSound } from './helpers/sdk-samples.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

let s3: S3TestServer;
let server: TestServer;
let bucket: S3Storage;
beforeAll(async () => {
  s3 = await startS3TestServer('kiln-results');
  server = await startTestServer({ storage: s3.config('prod') });
  // What another kiln process, or the operator, sees in the bucket.
  bucket = new S3Storage(s3.config('prod'), 'unused');
});
afterAll(async () => {
  await server?.close();
  bucket?.close();
  await s3?.close();
});

async function bucketBytes(key: string): Promise<Buffer> {
  return Buffer.concat(await (await bucket.open(key)).body.toArray());
}

describe('S3-compatible storage', () => {
  it("uploads a task's outputs and serves its result URLs from the bucket", async () => {
    const created = await server.api('POST', '/v1/videos/omni-video', {
      body: { prompt: 'a kite over the dunes', aspect_ratio: '1:1', mode: 'std', duration: '3', watermark_info: { enabled: true } },
    });
    expect(created.json.code, created.json.message).toBe(0);
    const taskId: string = created.json.data.task_id;
    const done = await waitForTask(server, '/v1/videos/omni-video', taskId, 60_000);
    expect(done.json.data.task_status, done.json.data.task_status_msg).toBe('succeed');
    const video = done.json.data.task_result.videos[0];

    // Both the video and its watermarked copy are in the bucket under the configured prefix.
    const keys = [video.url, video.watermark_url].map((u: string) => new URL(u).pathname.replace(/^\/media\//, ''));
    expect(keys.map((k) => k.split('/')[0])).toEqual([taskId, taskId]);
    for (const key of keys) expect(await bucket.exists(key), key).toBe(true);
    const stored = await bucketBytes(keys[0]!);
    expect(stored.subarray(4, 8).toString()).toBe('ftyp');

    // With the process's local copies gone, the URLs still work: they are served from the bucket.
    fs.rmSync(path.join(server.dataDir, 'media', taskId), { recursive: true, force: true });
    const whole = await fetch(video.url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await whole.arrayBuffer()).equals(stored)).toBe(true);
    const part = await fetch(video.url, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${stored.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(stored.subarray(100, 200))).toBe(true);
    expect((await fetch(video.url, { headers: { range: `bytes=${stored.length}-` } })).status).toBe(416);

    // The signature check is kiln's, whatever holds the bytes.
    const tampered = new URL(video.url);
    tampered.searchParams.set('s', 'A'.repeat(32));
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('answers 1203 for a result whose object is gone from the bucket', async () => {
    const created = await server.api('POST', '/v1/images/generations', { body: { prompt: 'a lighthouse', resolution: '1k', aspect_ratio: '1:1' } });
    const done = await waitForTask(server, '/v1/images/generations', created.json.data.task_id, 60_000);
    expect(done.json.data.task_status, done.json.data.task_status_msg).toBe('succeed');
    const url = done.json.data.task_result.images[0].url;
    const key = new URL(url).pathname.replace(/^\/media\//, '');
    expect(await bucket.exists(key)).toBe(true);
    expect((await fetch(url)).status).toBe(200);
    await bucket.remove(key);
    fs.rmSync(path.join(server.dataDir, 'media', key));
    const gone = await fetch(url);
    expect(gone.status).toBe(404);
    expect((await gone.json()).code).toBe(1203);
  });
});

// The synchronous endpoints answer with media at once: it must be in the bucket before the answer, so another
// process (or this one, its local copy gone) serves it.
describe('S3-compatible storage for synchronous endpoints', () => {
  const localCopy = (key: string) => path.join(server.dataDir, 'media', key);
  const keyOf = (url: string) => new URL(url).pathname.replace(/^\/media\//, '');

  /** The URL's object is in the bucket, and served from it once this process's copy of its folder is deleted. */
  async function servedFromBucket(url: string, contentType: string): Promise<Buffer> {
    const key = keyOf(url);
    expect(await bucket.exists(key), key).toBe(true);
    fs.rmSync(path.dirname(localCopy(key)), { recursive: true, force: true });
    const served = await fetch(url);
    expect(served.status, key).toBe(200);
    expect(served.headers.get('content-type')).toBe(contentType);
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.equals(await bucketBytes(key))).toBe(true);
    return bytes;
  }

  it('stores image-recognize masks in the bucket and serves them with the local copies gone', async () => {
    const image = (await makeImage(300, 450)).toString('base64');
    const res = await server.api('POST', '/v1/videos/image-recognize', { body: { image } });
    expect(res.json.code, res.json.message).toBe(0);
    for (const mask of res.json.data.task_result.images) await servedFromBucket(mask.url, 'image/png');
  });

  it("stores preset voices' trials and preset elements' images in the bucket", async () => {
    const voices = (await server.api('GET', '/v1/general/presets-voices?pageNum=1&pageSize=2')).json.data;
    const trial = voices[0].task_result.voices[0].trial_url;
    const first = await servedFromBucket(trial, 'audio/mpeg');
    // Listed again with the local folder gone, the trial still plays, the same clip.
    const again = (await server.api('GET', '/v1/general/presets-voices?pageNum=1&pageSize=2')).json.data;
    const replayed = await fetch(again[0].task_result.voices[0].trial_url);
    expect(replayed.status).toBe(200);
    expect(Buffer.from(await replayed.arrayBuffer()).equals(first)).toBe(true);
    const elements = (await server.api('GET', '/v1/general/advanced-presets-elements?pageNum=1&pageSize=1')).json.data;
    await servedFromBucket(elements[0].task_result.elements[0].element_image_list.frontal_image, 'image/png');
  });

  it("stores a custom element's images in the bucket", async () => {
    const [frontal, refer] = await Promise.all([makeImage(400, 600), makeImage(400, 600, 'jpeg')]);
    const res = await server.api('POST', '/v1/general/custom-elements', {
      body: {
        element_name: 'Keeper', element_description: 'kept in the bucket',
        element_frontal_image: frontal.toString('base64'), element_refer_list: [{ image_url: refer.toString('base64') }],
      },
    });
    expect(res.json.code, res.json.message).toBe(0);
    expect((await servedFromBucket(res.json.data.element_frontal_image, 'image/png')).equals(frontal)).toBe(true);
    expect((await servedFromBucket(res.json.data.element_refer_list[0].image_url, 'image/jpeg')).equals(refer)).toBe(true);
  });

  /** A video output of the caller that only the bucket holds, as a task run by another process leaves it. */
  async function videoOnlyInBucket(seconds: number): Promise<string> {
    const taskId = newTaskId();
    const id = newTaskId();
    await bucket.put(`${taskId}/video.mp4`, { file: await makeVideo({ seconds }) });
    await addOutput(server.kiln.db, { id, tenant_id: server.creds.tenant_id, task_id: taskId, kind: 'video', seconds, file: 'video.mp4', created_at: Date.now() });
    return id;
  }

  it("opens a selection session on a video only the bucket holds, and stores the session's video there", async () => {
    const res = await server.api('POST', '/v1/videos/multi-elements/init-selection', { body: { video_id: await videoOnlyInBucket(3) } });
    expect(res.json.code, res.json.message).toBe(0);
    expect(res.json.data).toMatchObject({ width: 1280, height: 720, total_frame: 72 });
    const normalized = await servedFromBucket(res.json.data.normalized_video, 'video/mp4');
    expect(normalized.subarray(4, 8).toString()).toBe('ftyp');
  });

  it("renders a selection preview from the session's stored video, with the local copies gone, and stores it", async () => {
    const post = (name: string, body: unknown) => server.api('POST', `/v1/videos/multi-elements/${name}`, { body });
    const session = (await post('init-selection', { video_id: await videoOnlyInBucket(3) })).json.data.session_id;
    expect((await post('add-selection', { session_id: session, frame_index: 0, points: [{ x: 0.5, y: 0.5 }] })).json.code).toBe(0);
    fs.rmSync(localCopy(`${session}/video.mp4`), { force: true });
    const res = await post('preview-selection', { session_id: session });
    expect(res.json.code, res.json.message).toBe(0);
    const preview = res.json.data.res;
    await servedFromBucket(preview.video_cover, 'image/jpeg');
    for (const url of [preview.video, preview.tracking_output]) {
      expect((await servedFromBucket(url, 'video/mp4')).subarray(4, 8).toString()).toBe('ftyp');
    }
  });

  it("identifies faces in a video only the bucket holds, and stores the face images there", async () => {
    const res = await server.api('POST', '/v1/videos/identify-face', { body: { video_id: await videoOnlyInBucket(3) } });
    expect(res.json.code, res.json.message).toBe(0);
    expect(res.json.data.face_data.length).toBeGreaterThan(0);
    for (const face of res.json.data.face_data) await servedFromBucket(face.face_image, 'image/png');
  });

  it('gives a soundtrack (video-to-audio) to a video only the bucket holds', async () => {
    const videoId = await videoOnlyInBucket(5);
    const created = await server.api('POST', '/v1/audio/video-to-audio', { body: { video_id: videoId, sound_effect_prompt: 'waves' } });
    expect(created.json.code, created.json.message).toBe(0);
    const done = await waitForTask(server, '/v1/audio/video-to-audio', created.json.data.task_id, 60_000);
    expect(done.json.data.task_status, done.json.data.task_status_msg).toBe('succeed');
    expect(done.json.data.task_result.videos[0].duration).toBe('5');
    // The copy of the parent video made for the render is gone with it.
    const taskDir = path.dirname(localCopy(`${done.json.data.task_id}/video.mp4`));
    expect(fs.readdirSync(taskDir).filter((name) => name.startsWith('.stored-'))).toEqual([]);
    const dubbed = await servedFromBucket(done.json.data.task_result.videos[0].url, 'video/mp4');
    expect(dubbed.subarray(4, 8).toString()).toBe('ftyp');
  });

  it("lip-syncs (advanced-lip-sync) a face session whose video only the bucket holds", async () => {
    const session = await server.api('POST', '/v1/videos/identify-face', { body: { video_id: await videoOnlyInBucket(3) } });
    expect(session.json.code, session.json.message).toBe(0);
    const sessionId: string = session.json.data.session_id;
    fs.rmSync(path.dirname(localCopy(`${sessionId}/video.mp4`)), { recursive: true, force: true });
    const created = await server.api('POST', '/v1/videos/advanced-lip-sync', {
      body: { session_id: sessionId, face_choose: [{ face_id: '0', sound_file: sampleSound(2).toString('base64'), sound_start_time: 0, sound_end_time: 2000, sound_insert_time: 0 }] },
    });
    expect(created.json.code, created.json.message).toBe(0);
    const done = await waitForTask(server, '/v1/videos/advanced-lip-sync', created.json.data.task_id, 60_000);
    expect(done.json.data.task_status, done.json.data.task_status_msg).toBe('succeed');
    const synced = await servedFromBucket(done.json.data.task_result.videos[0].url, 'video/mp4');
    expect(synced.subarray(4, 8).toString()).toBe('ftyp');
  });

  it('keeps a large Base64 input in the bucket, where the worker reads it back for the render', async () => {
    // Noise does not compress: about 640 KB as Base64, far past what the stored request holds inline.
    const noise = crypto.randomBytes(400 * 400 * 3);
    const image = (await sharp(noise, { raw: { width: 400, height: 400, channels: 3 } }).png().toBuffer()).toString('base64');
    const created = await server.api('POST', '/v1/videos/image2video', { body: { image, prompt: 'noise, drifting', duration: '5' } });
    expect(created.json.code, created.json.message).toBe(0);
    const taskId: string = created.json.data.task_id;
    expect((await bucketBytes(`${taskId}/input-1.txt`)).toString()).toBe(image);
    expect(fs.existsSync(localCopy(`${taskId}/input-1.txt`))).toBe(false);
    const done = await waitForTask(server, '/v1/videos/image2video', taskId, 60_000);
    expect(done.json.data.task_status, done.json.data.task_status_msg).toBe('succeed');
  });

  it("stores TTS audio in the bucket and serves it with the process's copy gone", async () => {
    const res = await server.api('POST', '/v1/audio/tts', { body: { text: 'the bucket keeps my voice', voice_id: 'oversea_male1', voice_language: 'en' } });
    expect(res.json.code, res.json.message).toBe(0);
    const url: string = res.json.data.task_result.audios[0].url;
    const key = keyOf(url);
    expect(await bucket.exists(key), key).toBe(true);
    fs.rmSync(path.dirname(localCopy(key)), { recursive: true, force: true });
    const served = await fetch(url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(await bucketBytes(key))).toBe(true);
  });
});

describe('S3-compatible storage readiness', () => {
  it('reports the bucket in /readyz: ready when it answers kiln, not when it refuses its credentials', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).checks).toMatchObject({ storage: 'ok', bucket: 'ok' });
    const refused = await startTestServer({ storage: { ...s3.config('prod'), credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'wrong' } } });
    try {
      const answer = await fetch(`${refused.url}/readyz`);
      expect(answer.status).toBe(503);
      expect((await answer.json()).checks).toMatchObject({ storage: 'ok', bucket: 'failed' });
    } finally {
      await refused.close();
    }
  });
});

describe('S3-compatible storage with KILN_S3_REDIRECT_SECONDS', () => {
  let redirecting: TestServer;
  beforeAll(async () => {
    redirecting = await startTestServer({ storage: { ...s3.config('redirect'), redirectSeconds: 300 } });
  });
  afterAll(async () => {
    await redirecting?.close();
  });

  it('redirects a signed result URL to a short-lived presigned URL of the bucket', async () => {
    const created = await redirecting.api('POST', '/v1/images/generations', { body: { prompt: 'a red door', resolution: '1k', aspect_ratio: '1:1' } });
    const done = await waitForTask(redirecting, '/v1/images/generations', created.json.data.task_id, 60_000);
    expect(done.json.data.task_status, done.json.data.task_status_msg).toBe('succeed');
    const url = done.json.data.task_result.images[0].url;
    const answer = await fetch(url, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get('location')!);
    expect(location.origin).toBe(s3.endpoint);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
    // A client that follows redirects gets the image straight from the bucket.
    const followed = await fetch(url);
    expect(followed.status).toBe(200);
    expect(followed.headers.get('content-type')).toBe('image/png');
    const key = new URL(url).pathname.replace(/^\/media\//, '');
    const fromBucket = new S3Storage(s3.config('redirect'), 'unused');
    expect(Buffer.from(await followed.arrayBuffer()).equals(Buffer.concat(await (await fromBucket.open(key)).body.toArray()))).toBe(true);
    fromBucket.close();
    // kiln still checks its own signature first.
    const tampered = new URL(url);
    tampered.searchParams.set('s', 'A'.repeat(32));
    expect((await fetch(tampered, { redirect: 'manual' })).status).toBe(403);
  });
});
