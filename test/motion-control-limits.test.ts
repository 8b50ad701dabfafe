// Motion control's reference video is held to its own documented limits (spec §2.5: mp4/mov, at most 100 MB, each
// side 340–3850 px), not to the 720–2160 px of other reference videos: a small square clip and a 4K one both work,
// and one outside the limits fails the task with a message naming the field and the limit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';
import { makeVideo, startFileServer, type FileServer } from './helpers/action-fixtures.ts';
import { sampleImage } from './helpers/sdk-samples.ts';

const PATH = '/v1/videos/motion-control';
let server: TestServer;
let files: FileServer;
let image: string;

beforeAll(async () => {
  [server, files] = await Promise.all([startTestServer(), startFileServer()]);
  image = (await sampleImage()).toString('base64');
});
afterAll(async () => {
  await Promise.all([server?.close(), files?.close()]);
});

async function motion(video: string) {
  const created = await server.api('POST', PATH, {
    body: { image_url: image, video_url: files.urlOf(video), character_orientation: 'image', mode: 'std', keep_original_sound: 'no' },
  });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  return (await waitForTask(server, PATH, created.json.data.task_id, 120_000)).json.data;
}

describe('motion-control reference video limits', () => {
  it('a 480×480 reference video is accepted and followed', async () => {
    const task = await motion(await makeVideo({ seconds: 3, width: 480, height: 480 }));
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(Number(task.task_result.videos[0].duration)).toBeCloseTo(3, 0);
  });

  it('a 3840×2160 reference video is accepted and followed', async () => {
    const task = await motion(await makeVideo({ seconds: 3, width: 3840, height: 2160, fps: 24 }));
    expect(task.task_status, task.task_status_msg).toBe('succeed');
    expect(Number(task.task_result.videos[0].duration)).toBeCloseTo(3, 0);
  });

  it('a reference video with a side below 340 px fails the task naming video_url and the limit', async () => {
    const task = await motion(await makeVideo({ seconds: 3, width: 320, height: 480 }));
    expect(task.task_status).toBe('failed');
    expect(task.task_status_msg).toMatch(/^video_url: /);
    expect(task.task_status_msg).toContain('340–3850 px');
    expect(task.task_status_msg).toContain('320x480');
  });

  it('/openapi.json shows the limits on the field', async () => {
    const doc = (await server.api('GET', '/openapi.json', { token: null })).json;
    const field = doc.paths[PATH].post.requestBody.content['application/json'].schema.properties.video_url;
    expect(field['x-kling-limits']).toMatchObject({ formats: ['mp4', 'mov'], maxBytes: 100 * 1024 * 1024, minEdge: 340, maxEdge: 3850 });
    expect(field.description).toContain('each side 340–3850 px');
  });
});
