// Large Base64 inputs are kept once, as a file beside the task's outputs: the stored request refers to it instead of
// holding the whole image, and the render still reads the image the client sent.

import crypto from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskStore } from '../packages/server/src/store/tasks.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });

const I2V = '/v1/videos/image2video';

describe('Base64 inputs', () => {
  it('a 600 KB Base64 image is rendered from, but not copied into the stored request', async () => {
    // Noise does not compress: a 400x400 PNG of it is about 480 KB, 640 KB as Base64.
    const noise = crypto.randomBytes(400 * 400 * 3);
    const png = await sharp(noise, { raw: { width: 400, height: 400, channels: 3 } }).png().toBuffer();
    const image = png.toString('base64');
    expect(image.length).toBeGreaterThan(600_000);

    const created = await server.api('POST', I2V, { body: { image, prompt: 'noise, slowly drifting', duration: '5' } });
    expect(created.json.code).toBe(0);
    const id = created.json.data.task_id;
    const row = (await new TaskStore(server.kiln.db).byId(id))!;
    expect(row.request_json.length).toBeLessThan(10_000);
    expect(row.request_json).not.toContain(image.slice(0, 1000));
    expect(JSON.parse(row.request_json).prompt).toBe('noise, slowly drifting');

    const done = await waitForTask(server, I2V, id, 120_000);
    expect(done.json.data.task_status).toBe('succeed');
  });
});
