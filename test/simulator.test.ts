// The simulator as a user's test suite drives it: fault injection per request and by global rule, timing
// profiles with time control, input images read for real, and determinism.

import sharp from 'sharp';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from './helpers/callback-receiver.ts';
import { updateTenant } from '../packages/server/src/store/tenants.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

const T2V = '/v1/videos/text2video';
const I2V = '/v1/videos/image2video';
const GEN = '/v1/images/generations';
const quick = { prompt: 'a quiet harbour', duration: '5', mode: 'std' };

let server: TestServer;
let receiver: CallbackReceiver;
let images: http.Server;
let imagesUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startCallbackReceiver();
  // Serves test images: /ok.png (640x480), /small.png (200x200), /missing (404).
  const ok = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3080c0' } }).png().toBuffer();
  const small = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#c08030' } }).png().toBuffer();
  images = http.createServer((req, res) => {
    if (req.url === '/ok.png') return res.end(ok);
    if (req.url === '/small.png') return res.end(small);
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
  imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await server.close();
  await receiver.close();
  images.closeAllConnections();
  await new Promise((r) => images.close(r));
});

const simulate = (directives: string) => ({ 'x-kiln-simulate': directives });

/** Creates an ordinary image task and waits until it ends: proof the workers ran since, however slow the machine. */
async function finishedAfter(token?: string): Promise<void> {
  const res = await server.api('POST', GEN, { token, body: { prompt: 'a pebble', resolution: '1k' } });
  expect((await waitForTask(server, GEN, res.json.data.task_id, 60_000, token)).json.data.task_status).toBe('succeed');
}

describe('fault injection with X-Kiln-Simulate', () => {
  it('error=<code> refuses the create with that code and its HTTP status, storing nothing', async () => {
    for (const [code, status] of [[1303, 429], [5001, 503], [1102, 429], [1301, 400]] as const) {
      const res = await server.api('POST', T2V, { body: { ...quick, external_task_id: `refused-${code}` }, headers: simulate(`error=${code}`) });
      expect(res.status).toBe(status);
      expect(res.json.code).toBe(code);
      expect((await server.api('GET', `${T2V}/refused-${code}`)).json.message).toBe(`Task not found by id/external id: refused-${code}`);
    }
  });

  it('fail=<code> accepts the task and fails it with a Kling-like task_status_msg; msg= sets the message', async () => {
    const a = await server.api('POST', T2V, { body: quick, headers: simulate('fail=1301') });
    const failed = await waitForTask(server, T2V, a.json.data.task_id);
    expect(failed.json.data).toMatchObject({ task_status: 'failed', final_unit_deduction: '0', task_result: {} });
    expect(failed.json.data.task_status_msg).toMatch(/risk control/);
    const b = await server.api('POST', T2V, { body: quick, headers: simulate('fail; msg="model overloaded, try later"') });
    expect((await waitForTask(server, T2V, b.json.data.task_id)).json.data.task_status_msg).toBe('model overloaded, try later');
  });

  it('delay= keeps the task queued; complete finishes it at once and fires its callbacks', async () => {
    const created = await server.api('POST', T2V, { body: { ...quick, callback_url: receiver.url }, headers: simulate('delay=10m') });
    const id = created.json.data.task_id;
    // A task created after it runs to the end while it stays queued: the workers had their turn and passed it by.
    await finishedAfter();
    expect((await server.api('GET', `${T2V}/${id}`)).json.data.task_status).toBe('submitted');
    // "At once": the answer to complete is already the finished task, with its media.
    const done = await server.api('POST', `/simulator/tasks/${id}/complete`);
    expect(done.json.code).toBe(0);
    expect(done.json.data.task_status).toBe('succeed');
    expect(done.json.data.task_result.videos[0].url).toMatch(/\/media\//);
    await receiver.waitFor((all) => all.filter((c) => JSON.parse(c.body).task_id === id).length === 2);
    expect(receiver.received.filter((c) => JSON.parse(c.body).task_id === id).map((c) => JSON.parse(c.body).task_status))
      .toEqual(['processing', 'succeed']);
  });

  it('stuck keeps the task in processing (holding its slot) until completed', async () => {
    const created = await server.api('POST', T2V, { body: { ...quick, callback_url: receiver.url }, headers: simulate('stuck') });
    const id = created.json.data.task_id;
    await receiver.waitFor((all) => all.some((c) => JSON.parse(c.body).task_id === id));
    // A task created after it runs to the end while it stays in processing.
    await finishedAfter();
    expect((await server.api('GET', `${T2V}/${id}`)).json.data.task_status).toBe('processing');
    expect(receiver.received.filter((c) => JSON.parse(c.body).task_id === id).map((c) => JSON.parse(c.body).task_status)).toEqual(['processing']);
    const done = await server.api('POST', `/simulator/tasks/${id}/complete`);
    expect(done.json.data.task_status).toBe('succeed');
  });

  it('media=fail and media=slow make the result URLs misbehave', async () => {
    const broken = await server.api('POST', GEN, { body: { prompt: 'x', resolution: '1k' }, headers: simulate('media=fail') });
    const brokenTask = (await waitForTask(server, GEN, broken.json.data.task_id)).json.data;
    expect((await fetch(brokenTask.task_result.images[0].url)).status).toBe(500);

    const slow = await server.api('POST', GEN, { body: { prompt: 'x', resolution: '2k' }, headers: simulate('media=slow') });
    const slowTask = (await waitForTask(server, GEN, slow.json.data.task_id)).json.data;
    const t0 = Date.now();
    const bytes = (await (await fetch(slowTask.task_result.images[0].url)).arrayBuffer()).byteLength;
    expect(bytes).toBeGreaterThan(64 * 1024);
    // ≈64 KB/s: the download takes at least bytes/64KB seconds (minus one chunk).
    expect(Date.now() - t0).toBeGreaterThan(((bytes - 16 * 1024) / (64 * 1024)) * 1000 * 0.9);
  });

  it('an unknown directive is a 1200 that names it', async () => {
    const res = await server.api('POST', T2V, { body: quick, headers: simulate('explode=1') });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 1200 });
    expect(res.json.message).toMatch(/explode/);
  });
});

describe('timing profiles and time control', () => {
  it('a realistic tenant waits like Kling; advancing its clock moves it along; complete-all ends the rest', async () => {
    const tenant = await server.addTenant('realistic-tenant');
    await updateTenant(server.kiln.db, tenant.tenant_id, { timing_profile: 'realistic' });
    const create = async () => (await server.api('POST', T2V, { token: tenant.api_key, body: quick })).json.data.task_id as string;
    const [a, b] = [await create(), await create()];
    // An ordinary task created after them ends while they wait in the queue (5–40 s of it, not a fast tenant's 0.5 s).
    await finishedAfter();
    expect((await server.api('GET', `${T2V}/${a}`, { token: tenant.api_key })).json.data.task_status).toBe('submitted');

    // 45 s: past any realistic queue time (≤ 40 s), not past generation (≥ 75 s for 5 s std).
    const advanced = await server.api('POST', `/simulator/tasks/${a}/advance`, { token: tenant.api_key, body: { seconds: 45 } });
    expect(advanced.json.data.task_status).toBe('processing');
    const finished = await server.api('POST', `/simulator/tasks/${a}/advance`, { token: tenant.api_key, body: { seconds: 3600 } });
    expect(finished.json.data.task_status).toBe('succeed');

    const all = await server.api('POST', '/simulator/tasks/complete', { token: tenant.api_key });
    expect(all.json.data.map((t: any) => [t.task_id, t.task_status])).toEqual([[b, 'succeed']]);
  });

  it('a tenant sets its own timing profile: its next tasks follow it, other tenants keep theirs', async () => {
    const tenant = await server.addTenant('own-timing');
    const other = await server.addTenant('own-timing-other');
    const settings = async (token: string) => (await server.api('GET', '/simulator/settings', { token })).json.data;
    expect(await settings(tenant.api_key)).toEqual({ timing: null, effective_timing: 'fast', server_timing: 'fast', engine: 'simulator' });

    const set = await server.api('PUT', '/simulator/settings', { token: tenant.api_key, body: { timing: 'realistic' } });
    expect([set.status, set.json.code, set.json.data]).toEqual([200, 0, { timing: 'realistic', effective_timing: 'realistic', server_timing: 'fast', engine: 'simulator' }]);
    expect((await server.api('GET', '/admin/tenants/own-timing', { token: server.kiln.adminToken })).json.data.timing).toBe('realistic');
    expect((await settings(other.api_key)).effective_timing).toBe('fast');

    // Realistic now: a minute on, the task has left the queue (≤ 40 s) but is still generating (≥ 75 s).
    const task = (await server.api('POST', T2V, { token: tenant.api_key, body: quick })).json.data.task_id;
    const minuteOn = await server.api('POST', `/simulator/tasks/${task}/advance`, { token: tenant.api_key, body: { seconds: 60 } });
    expect(minuteOn.json.data.task_status).toBe('processing');

    // Back to the server's profile (null): the next task is a fast one, which ends in the time an ordinary one does.
    expect((await server.api('PUT', '/simulator/settings', { token: tenant.api_key, body: { timing: null } })).json.data.effective_timing).toBe('fast');
    const fast = (await server.api('POST', T2V, { token: tenant.api_key, body: quick })).json.data.task_id;
    expect((await waitForTask(server, T2V, fast, 30_000, tenant.api_key)).json.data.task_status).toBe('succeed');
  });

  it('refuses a timing it does not know, an unknown field, a relay tenant and no credentials, naming why', async () => {
    const put = (body: unknown, token?: string | null) => server.api('PUT', '/simulator/settings', { body, token });
    const refused = async (body: unknown, message: RegExp, token?: string | null) => {
      const res = await put(body, token);
      expect([res.status, res.json.code]).toEqual([400, 1201]);
      expect(res.json.message).toMatch(message);
    };
    await refused({ timing: 'slow' }, /^timing: must be one of instant, fast, realistic/);
    await refused({}, /timing/);
    await refused({ timing: 'fast', speed: 2 }, /speed is not a known field/);
    const relayed = (await server.api('POST', '/admin/tenants', { token: server.kiln.adminToken, body: { name: 'relayed-timing', engine: 'relay' } })).json.data;
    await refused({ timing: 'instant' }, /relayed to Kling/, relayed.api_key);
    expect((await server.api('GET', '/simulator/settings', { token: relayed.api_key })).json.data.engine).toBe('relay');
    const anonymous = await put({ timing: 'instant' }, null);
    expect([anonymous.status, anonymous.json.code]).toEqual([401, 1001]);
  });

  it('controls accept Content-Type: application/json with an empty body, as many HTTP wrappers send it', async () => {
    const json = { 'content-type': 'application/json' };
    const created = await server.api('POST', T2V, { body: quick, headers: simulate('delay=10m') });
    const done = await server.api('POST', `/simulator/tasks/${created.json.data.task_id}/complete`, { rawBody: '', headers: json });
    expect([done.status, done.json.code, done.json.data?.task_status]).toEqual([200, 0, 'succeed']);
    const all = await server.api('POST', '/simulator/tasks/complete', { rawBody: '', headers: json });
    expect([all.status, all.json.code]).toEqual([200, 0]);
    // A create still needs its body.
    const create = await server.api('POST', T2V, { rawBody: '', headers: json });
    expect([create.status, create.json.code]).toEqual([400, 1200]);
  });

  it('controls only reach the caller’s own tasks', async () => {
    const other = await server.addTenant('control-other');
    const mine = await server.api('POST', T2V, { body: quick, headers: simulate('delay=10m') });
    const res = await server.api('POST', `/simulator/tasks/${mine.json.data.task_id}/complete`, { token: other.api_key });
    expect([res.status, res.json.code, res.json.message]).toEqual([400, 1201, `Task not found by id/external id: ${mine.json.data.task_id}`]);
    expect((await server.api('POST', `/simulator/tasks/${mine.json.data.task_id}/advance`, { body: { seconds: -1 } })).json.code).toBe(1201);
  });
});

describe('global rules (operator)', () => {
  it('need the admin token', async () => {
    const res = await server.api('PUT', '/admin/simulator/rules', { body: { rules: [] } });
    expect(res.status).toBe(401);
    expect(res.json.code).toBe(1002);
  });

  it('blocked words refuse the prompt with 1301; a fault rule applies to its family only', async () => {
    const admin = server.kiln.adminToken;
    const set = await server.api('PUT', '/admin/simulator/rules', {
      token: admin,
      body: { blocked_words: ['forbidden'], rules: [{ family: 'image2video', probability: 1, fault: 'fail=1301' }] },
    });
    expect(set.json.code).toBe(0);
    try {
      const blocked = await server.api('POST', T2V, { body: { ...quick, prompt: 'something FORBIDDEN here' } });
      expect(blocked.status).toBe(400);
      expect(blocked.json.code).toBe(1301);
      expect(blocked.json.message).toMatch(/^content security policy triggered: prompt contains a blocked word \('forbidden'\)/);
      // The refusal names the field that holds the word: a negative prompt, a shot's prompt.
      const negative = await server.api('POST', T2V, { body: { ...quick, negative_prompt: 'nothing forbidden' } });
      expect(negative.json).toMatchObject({ code: 1301, message: expect.stringMatching(/: negative_prompt contains a blocked word/) });
      const shots = [{ index: 1, prompt: 'a calm lake', duration: '2' }, { index: 2, prompt: 'a forbidden door', duration: '3' }];
      const shot = await server.api('POST', T2V, {
        body: { model_name: 'kling-v3', multi_shot: true, shot_type: 'customize', multi_prompt: shots, duration: '5' },
      });
      expect(shot.json).toMatchObject({ code: 1301, message: expect.stringMatching(/: multi_prompt\[1\]\.prompt contains a blocked word/) });

      const ok = await server.api('POST', T2V, { body: quick });
      expect((await waitForTask(server, T2V, ok.json.data.task_id)).json.data.task_status).toBe('succeed');
      const i2v = await server.api('POST', I2V, { body: { image: `${imagesUrl}/ok.png`, duration: '5' } });
      expect((await waitForTask(server, I2V, i2v.json.data.task_id)).json.data.task_status).toBe('failed');

      const bad = await server.api('PUT', '/admin/simulator/rules', { token: admin, body: { rules: [{ probability: 2, fault: 'fail' }] } });
      expect(bad.json.code).toBe(1201);
      expect(bad.json.message).toMatch(/rules\[0\]\.probability/);
    } finally {
      await server.api('PUT', '/admin/simulator/rules', { token: admin, body: { rules: [], blocked_words: [] } });
    }
  });
});

describe('input images are read for real', () => {
  const b64 = async (width: number, height: number, format: 'png' | 'webp' = 'png') =>
    (await sharp({ create: { width, height, channels: 3, background: '#888' } }).toFormat(format).toBuffer()).toString('base64');

  it('refuses Base64 faults at create with 1201 naming the field', async () => {
    const cases: [string, RegExp][] = [
      [Buffer.from('definitely not an image').toString('base64'), /image: not a readable image/],
      [await b64(200, 200), /image: image width and height must be at least 300 px/],
      [await b64(1200, 400), /image: image aspect ratio must be between 1:2.5 and 2.5:1/],
      [await b64(400, 400, 'webp'), /image: image format must be jpg, jpeg or png/],
    ];
    for (const [image, message] of cases) {
      const res = await server.api('POST', I2V, { body: { image, duration: '5' } });
      expect(res.status).toBe(400);
      expect(res.json.code).toBe(1201);
      expect(res.json.message).toMatch(message);
    }
  });

  it('fails a task whose image URL is missing or breaks a limit, with a precise task_status_msg', async () => {
    const missing = await server.api('POST', I2V, { body: { image: `${imagesUrl}/missing`, duration: '5' } });
    const m = (await waitForTask(server, I2V, missing.json.data.task_id)).json.data;
    expect(m.task_status).toBe('failed');
    expect(m.task_status_msg).toMatch(/^image: could not download \(HTTP 404/);
    const small = await server.api('POST', I2V, { body: { image: `${imagesUrl}/small.png`, duration: '5' } });
    const s = (await waitForTask(server, I2V, small.json.data.task_id)).json.data;
    expect(s.task_status_msg).toMatch(/^image: image width and height must be at least 300 px/);
  });
});

describe('determinism', () => {
  it('renders the same images for the same request', async () => {
    const body = { prompt: 'a snapshot-stable teapot', resolution: '1k', aspect_ratio: '1:1', n: 2 };
    const first = (await waitForTask(server, GEN, (await server.api('POST', GEN, { body })).json.data.task_id)).json.data;
    const second = (await waitForTask(server, GEN, (await server.api('POST', GEN, { body })).json.data.task_id)).json.data;
    for (const i of [0, 1]) {
      const a = Buffer.from(await (await fetch(first.task_result.images[i].url)).arrayBuffer());
      const b = Buffer.from(await (await fetch(second.task_result.images[i].url)).arrayBuffer());
      expect(a.equals(b)).toBe(true);
    }
  });
});
