// What Kling's own clients send, against a running server: `null` (Python client) or `""` (ComfyUI nodes) for every
// optional field they have no value for. Every synchronous endpoint answers as without those fields; tasks run.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '@kiln/contract';
import { withAbsentOptionals } from '../packages/contract/src/testing/unset-samples.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';
import { sampleFor } from './helpers/action-samples.ts';
import { clientFor, sampleImage } from './helpers/sdk-samples.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const query = (params: Record<string, unknown>) =>
  Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v === null ? '' : String(v))}`).join('&');

describe('synchronous endpoints', () => {
  it.each(actions.map((a) => [a.name, a] as const))('%s: every optional field left out, sent as null (GET: empty), answers as without it', async (_name, action) => {
    const sample = await sampleFor(action.name).valid(server);
    const sent = withAbsentOptionals(action.request, sample.params, action.method === 'GET' ? '' : null) as Record<string, unknown>;
    const res = action.method === 'GET'
      ? await server.api('GET', `${action.path}?${query(sent)}`)
      : await server.api('POST', action.path, { body: sent });
    expect(res.json.code, `${action.name}: ${res.json.message}`).toBe(0);
    expect(res.json.data).toMatchObject(sample.answer as object);
  });
});

describe('tasks', () => {
  it('image2video as Kling\'s Python client sends it (image_tail, fidelity, masks, callback and external id all null) succeeds', async () => {
    const image = (await sampleImage()).toString('base64');
    const res = await server.api('POST', '/v1/videos/image2video', {
      body: {
        model_name: 'kling-v2-6', image, image_tail: null, prompt: 'the flag waves', negative_prompt: null, cfg_scale: null,
        mode: 'std', duration: '5', sound: null, static_mask: null, dynamic_masks: null, camera_control: null,
        callback_url: null, external_task_id: null, image_fidelity: null, human_fidelity: null, watermark_info: null,
      },
    });
    expect(res.json.code, res.json.message).toBe(0);
    const done = await waitForTask(server, '/v1/videos/image2video', res.json.data.task_id);
    expect(done.json.data).toMatchObject({ task_status: 'succeed', task_result: { videos: [{ duration: '5' }] } });
    expect(done.json.data.task_result.videos[0]).not.toHaveProperty('watermark_url');
  });

  it('text-to-image with "image": null and ComfyUI\'s "resolution": "" renders at the default resolution', async () => {
    const res = await server.api('POST', '/v1/images/generations', {
      body: { model_name: 'kling-v2-1', prompt: 'a lighthouse', image: null, image_reference: null, resolution: '', aspect_ratio: '1:1', n: null },
    });
    expect(res.json.code, res.json.message).toBe(0);
    const done = await waitForTask(server, '/v1/images/generations', res.json.data.task_id);
    expect(done.json.data.task_status).toBe('succeed');
    expect(done.json.data.task_result.images).toHaveLength(1);
  });

  it('a required field sent as null is refused, naming it', async () => {
    const res = await server.api('POST', '/v1/videos/multi-image2video', { body: { image_list: [{ image: null }], prompt: 'a' } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 1201, message: 'image_list[0].image must not be null' });
  });
});

describe('the SDK\'s local validation', () => {
  it('accepts what the server accepts: nulls in optional fields of a create and of an action', async () => {
    const client = clientFor(server);
    const image = (await sampleImage()).toString('base64');
    const created = await client.videos.image2video.create({ image, image_tail: null, mode: null, duration: '5', callback_url: null } as any);
    expect(created.task_id).toMatch(/^\d+$/);
    const speech = await client.audio.tts({ text: 'hello there', voice_id: 'oversea_male1', voice_language: 'en', voice_speed: null } as any);
    expect(JSON.stringify(speech)).toMatch(/audio/);
  });
});
