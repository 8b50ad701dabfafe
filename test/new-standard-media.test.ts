// New-standard tasks run to the end on the simulator, checked with ffprobe as the /v1 ones are: size from resolution
// × aspect ratio (or the first frame), length, shots, native audio per settings.audio (always on Kling 3.0 Turbo),
// reference videos edited or followed, and the record's outputs[] and billing[]. Callbacks carry the new-standard
// record, Standard Webhooks-signed.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyWebhookSignature } from '@kiln/contract';
import { probeMedia } from '../packages/server/src/engines/simulator/media/probe.ts';
import { testImage, testVideo } from '../packages/server/src/engines/simulator/media/test-support.ts';
import { startCallbackReceiver, type CallbackReceiver } from './helpers/callback-receiver.ts';
import { serveFiles, type FileServer } from './helpers/file-server.ts';
import { startTestServer, tempDir, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
let receiver: CallbackReceiver;
let files: FileServer;
let filesUrl: string;
const work = tempDir('kiln-ns-media-');
// Rendering shares the machine with other work: generous per-test time, never a measure of speed.
vi.setConfig({ testTimeout: 180_000 });

beforeAll(async () => {
  await testVideo(path.join(work, 'clip.mp4'), { width: 1280, height: 720, seconds: 5.3 });
  // Motion videos outside the 3–10 s an 'image' orientation takes.
  await testVideo(path.join(work, 'short.mp4'), { width: 640, height: 360, seconds: 2, sound: false });
  await testVideo(path.join(work, 'long.mp4'), { width: 640, height: 360, seconds: 11, sound: false });
  files = await serveFiles(work, 'video/mp4');
  filesUrl = files.url;
  server = await startTestServer({ bodyLimitBytes: 8 * 1024 * 1024 });
  receiver = await startCallbackReceiver();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
  await files.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Creates a task, polls `GET /tasks` until it ends, downloads and probes its video. */
async function generate(productPath: string, body: object, name: string) {
  const created = await server.api('POST', productPath, { body });
  expect(created.json.code, created.json.message).toBe(0);
  const id = created.json.data.id;
  const deadline = Date.now() + 170_000;
  let record: any;
  for (;;) {
    record = (await server.api('GET', `/tasks?task_ids=${id}`)).json.data[0];
    if (record.status === 'succeeded' || record.status === 'failed' || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  expect(record.status, record.message).toBe('succeeded');
  const video = record.outputs[0];
  const res = await fetch(video.url);
  expect(res.status).toBe(200);
  const file = path.join(work, name);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return { record, video, media: await probeMedia(file) };
}

/** Creates a task that must fail, polls `GET /tasks` until it does, and answers its message. */
async function failureOf(productPath: string, body: object): Promise<string> {
  const created = await server.api('POST', productPath, { body });
  expect(created.json.code, created.json.message).toBe(0);
  const deadline = Date.now() + 170_000;
  let record: any;
  do {
    await new Promise((r) => setTimeout(r, 150));
    record = (await server.api('GET', `/tasks?task_ids=${created.json.data.id}`)).json.data[0];
  } while (record.status !== 'failed' && record.status !== 'succeeded' && Date.now() < deadline);
  expect(record.status).toBe('failed');
  return record.message;
}

describe('text to video', () => {
  it('Kling 3.0 Turbo: 1080p 9:16 for 3 s, always with an AAC track; outputs[] and billing[] as live Kling shows them', async () => {
    const { record, video, media } = await generate('/text-to-video/kling-3.0-turbo', {
      prompt: 'a lantern drifting over a dark lake', settings: { resolution: '1080p', aspect_ratio: '9:16', duration: 3 },
    }, 'turbo.mp4');
    expect(media.video).toMatchObject({ width: 1080, height: 1920 });
    expect(Math.abs(media.durationSeconds - 3)).toBeLessThan(0.15);
    expect(media.audio?.codec).toBe('aac');
    expect(Object.keys(video).sort()).toEqual(['duration', 'id', 'type', 'url']);
    expect(video).toMatchObject({ type: 'video', duration: '3' });
    expect(record.billing).toEqual([{ charge_type: 'unit', amount: '3', package_type: 'video' }]);
    expect(record.message).toBe('');
    expect(record.external_id).toBeUndefined();
  });

  it('Kling 3.0 storyboard with audio off and a watermark: the shots fill the duration, no audio, a watermark_url', async () => {
    const { record, video, media } = await generate('/text-to-video/kling-3.0', {
      prompt: 'shot 1, 1, a door opens; shot 2, 3, a dog runs in;',
      settings: { resolution: '720p', aspect_ratio: '1:1', duration: 4, audio: 'off' },
      options: { watermark_info: { enabled: true }, external_task_id: 'ns-media-storyboard' },
    }, 'storyboard.mp4');
    expect(media.video).toMatchObject({ width: 720, height: 720 });
    expect(Math.abs(media.durationSeconds - 4)).toBeLessThan(0.15);
    expect(media.audio).toBeUndefined();
    expect(video.watermark_url).toMatch(/^http/);
    expect((await fetch(video.watermark_url)).status).toBe(200);
    expect(record).toMatchObject({ external_id: 'ns-media-storyboard', billing: [{ amount: '2.4' }] });
  });
});

describe('image to video', () => {
  it('the first frame decides the shape; Kling 2.5 Turbo first + last frame renders 1080p', async () => {
    const frame = await testImage(720, 1280, '#206040');
    const { media, record } = await generate('/image-to-video/kling-2.5-turbo', {
      contents: [{ type: 'prompt', text: 'the leaves turn red' }, { type: 'first_frame', url: frame }, { type: 'last_frame', url: frame }],
      settings: { duration: 5 },
    }, 'frames.mp4');
    expect(media.video).toMatchObject({ width: 1080, height: 1920 });
    expect(Math.abs(media.durationSeconds - 5)).toBeLessThan(0.15);
    expect(record.billing[0].amount).toBe('2.5');
  });
});

describe('reference videos', () => {
  it("3.0 Omni base_video: the edit lasts as long as the input, keeps its sound with audio 'original', billed on its rounded length", async () => {
    const { media, video, record } = await generate('/omni-video/kling-3.0-omni', {
      contents: [{ type: 'prompt', text: 'make it night' }, { type: 'base_video', url: `${filesUrl}/clip.mp4`, id: 'video_1' }],
      settings: { audio: 'original', multi_shot: false },
    }, 'edit.mp4');
    expect(video.duration).toBe('5');
    expect(media.video).toMatchObject({ width: 1280, height: 720 });
    expect(media.audio?.codec).toBe('aac');
    // 0.9 units a second with a video input at 720p, 5 s.
    expect(record.billing[0].amount).toBe('4.5');
  });

  it('motion control: as long as the usable motion of the video (whole seconds), at the asked resolution, without sound when audio is off', async () => {
    const image = await testImage(720, 1280, '#603020');
    const { media, record, video } = await generate('/motion-control/kling-2.6', {
      contents: [{ type: 'image', url: image }, { type: 'video', url: `${filesUrl}/clip.mp4` }],
      settings: { character_orientation: 'image', audio: 'off' },
    }, 'motion.mp4');
    // The 5.3 s clip gives 5 s of motion, as the /v1 family renders it.
    expect(video.duration).toBe('5');
    expect(Math.abs(media.durationSeconds - 5)).toBeLessThan(0.15);
    // 720p (the default resolution): the short side.
    expect(Math.min(media.video!.width, media.video!.height)).toBe(720);
    expect(media.audio).toBeUndefined();
    expect(record.billing[0].amount).toBe('2.5');
  });
});

describe('callbacks and failures', () => {
  it('POSTs the new-standard record on each status change, signed with Standard Webhooks headers', async () => {
    const created = await server.api('POST', '/text-to-video/kling-2.6', {
      body: { prompt: 'rain on a window', settings: { duration: 5 }, options: { callback_url: receiver.url, external_task_id: 'ns-cb-1' } },
    });
    const id = created.json.data.id;
    const mine = () => receiver.received.filter((r) => JSON.parse(r.body).id === id);
    await receiver.waitFor(() => mine().some((r) => JSON.parse(r.body).status === 'succeeded'), 170_000);
    expect(mine().map((r) => JSON.parse(r.body).status)).toEqual(['processing', 'succeeded']);
    for (const call of mine()) {
      const ok = await verifyWebhookSignature(server.creds.webhook_secret!, {
        id: call.headers['webhook-id'] as string,
        timestamp: call.headers['webhook-timestamp'] as string,
        signature: call.headers['webhook-signature'] as string,
      }, call.body);
      expect(ok).toBe(true);
    }
    const done = JSON.parse(mine()[1].body);
    expect(Object.keys(done).sort()).toEqual(['billing', 'create_time', 'external_id', 'id', 'message', 'outputs', 'status', 'update_time']);
    expect(done).toMatchObject({ external_id: 'ns-cb-1', outputs: [{ type: 'video', duration: '5' }], billing: [{ charge_type: 'unit', amount: '1.5', package_type: 'video' }] });
    // No legacy keys.
    expect(done.task_id).toBeUndefined();
  });

  it('a motion video too short or too long fails the task naming contents[i].url, the field the request used', async () => {
    const image = await testImage(720, 1280, '#305020');
    const short = await failureOf('/motion-control/kling-2.6', {
      contents: [{ type: 'prompt', text: 'dance' }, { type: 'image', url: image }, { type: 'video', url: `${filesUrl}/short.mp4` }],
      settings: { character_orientation: 'image' },
    });
    expect(short).toMatch(/^contents\[2\]\.url: the video lasts 2(\.\d+)? s; it must last 3–10 s$/);
    const long = await failureOf('/motion-control/kling-3.0', {
      contents: [{ type: 'video', url: `${filesUrl}/long.mp4` }, { type: 'image', url: image }],
      settings: { character_orientation: 'image' },
    });
    expect(long).toMatch(/^contents\[0\]\.url: the video lasts 11(\.\d+)? s; it must last 3–10 s$/);
  });

  it('a failed task shows its reason in message and a charge of "0"', async () => {
    const created = await server.api('POST', '/text-to-video/kling-3.0-turbo', {
      body: { prompt: 'x', settings: { duration: 3 } }, headers: { 'x-kiln-simulate': 'fail' },
    });
    const id = created.json.data.id;
    let record: any;
    const deadline = Date.now() + 30_000;
    do {
      await new Promise((r) => setTimeout(r, 100));
      record = (await server.api('GET', `/tasks?task_ids=${id}`)).json.data[0];
    } while (record.status !== 'failed' && Date.now() < deadline);
    expect(record.status).toBe('failed');
    expect(record.message).not.toBe('');
    expect(record.outputs).toEqual([]);
    expect(record.billing).toEqual([{ charge_type: 'unit', amount: '0', package_type: 'video' }]);
  });
});
