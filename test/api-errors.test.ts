// Bad input, as a client would send it: each answer is a Kling envelope with the right HTTP status and code, a
// message that names the field, and nothing stored.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server.close(); });

const OMNI = '/v1/videos/omni-video';

async function taskCount(): Promise<number> {
  const res = await server.api('GET', `${OMNI}?pageSize=500`);
  return res.json.data.length;
}

function expectEnvelope(res: { status: number; json: any }, status: number, code: number, messagePart?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.json.code).toBe(code);
  expect(typeof res.json.message).toBe('string');
  expect(res.json.request_id).toMatch(/^[0-9a-f-]{36}$/);
  if (messagePart) expect(res.json.message).toMatch(messagePart);
}

describe('malformed requests', () => {
  it('refuses malformed JSON with 1200', async () => {
    const before = await taskCount();
    expectEnvelope(await server.api('POST', OMNI, { rawBody: '{"prompt": "a cat",' }), 400, 1200, /not valid JSON/);
    expect(await taskCount()).toBe(before);
  });

  it('refuses a wrong content type with 1200', async () => {
    const res = await server.api('POST', OMNI, { rawBody: 'prompt=a cat', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectEnvelope(res, 400, 1200, /Content-Type must be application\/json/);
  });

  it('refuses an empty body and a non-object body', async () => {
    expectEnvelope(await server.api('POST', OMNI, { rawBody: '' , headers: { 'content-type': 'application/json' } }), 400, 1200, /empty/);
    expectEnvelope(await server.api('POST', OMNI, { body: [1, 2] }), 400, 1200, /JSON object/);
    expectEnvelope(await server.api('POST', OMNI, { body: 'text' }), 400, 1200, /JSON object/);
  });

  it('refuses a body over the limit with 1200', async () => {
    const res = await server.api('POST', OMNI, { body: { prompt: 'x'.repeat(2 * 1024 * 1024), aspect_ratio: '1:1' } });
    expectEnvelope(res, 400, 1200, /larger than the limit/);
  });
});

describe('invalid parameters name the field', () => {
  const cases: [string, unknown, RegExp][] = [
    ['wrong type', { prompt: 42, aspect_ratio: '16:9' }, /^prompt must be a string/],
    ['unknown enum value', { prompt: 'a', aspect_ratio: '4:3' }, /^aspect_ratio: must be one of '16:9', '9:16', '1:1'/],
    ['too long', { prompt: 'x'.repeat(2501), aspect_ratio: '16:9' }, /^prompt must be at most 2500 characters/],
    ['nested field', { prompt: 'a', aspect_ratio: '16:9', image_list: [{ image_url: 'data:image/png;base64,AAAA' }] }, /^image_list\[0\]\.image_url: .*data:/],
    ['missing required nested field', { prompt: 'a', aspect_ratio: '16:9', image_list: [{}] }, /^image_list\[0\]\.image_url is required/],
    ['cross-field rule', { prompt: 'a' }, /aspect_ratio is required/],
    ['duration out of range', { prompt: 'a', aspect_ratio: '16:9', duration: '16' }, /^duration: must be one of/],
  ];
  for (const [name, body, message] of cases) {
    it(`${name} → 1201`, async () => {
      const before = await taskCount();
      expectEnvelope(await server.api('POST', OMNI, { body }), 400, 1201, message);
      expect(await taskCount()).toBe(before);
    });
  }

  it('an unknown model is 1203 and lists the supported ones', async () => {
    const res = await server.api('POST', OMNI, { body: { model_name: 'kling-v9', prompt: 'a', aspect_ratio: '1:1' } });
    expectEnvelope(res, 404, 1203, /model_name 'kling-v9'.*kling-video-o1/);
  });

  it('page bounds are enforced', async () => {
    expectEnvelope(await server.api('GET', `${OMNI}?pageNum=0`), 400, 1201, /pageNum/);
    expectEnvelope(await server.api('GET', `${OMNI}?pageSize=501`), 400, 1201, /pageSize/);
    expectEnvelope(await server.api('GET', `${OMNI}?pageSize=abc`), 400, 1201, /pageSize/);
    expect((await server.api('GET', `${OMNI}?pageSize=500&pageNum=1000`)).json.data).toEqual([]);
  });
});

describe('unknown things', () => {
  it('an unknown task id or external id is answered as live Kling does: 400, 1201, "Task not found ..."', async () => {
    for (const [route, id] of [
      [`${OMNI}/123456789012345678`, '123456789012345678'],
      [`${OMNI}/my-job-7`, 'my-job-7'],
      [`${OMNI}?external_task_id=nope`, 'nope'],
      [`/kling/v1/videos/omni-video/123`, '123'],
    ]) {
      const res = await server.api('GET', route);
      expect([res.status, res.json.code, res.json.message]).toEqual([400, 1201, `Task not found by id/external id: ${id}`]);
    }
  });

  it('an unknown route is 404 with the envelope', async () => {
    expectEnvelope(await server.api('GET', '/v1/videos/nothing-here'), 404, 1202, /no such endpoint/);
    expectEnvelope(await server.api('POST', '/v2/whatever', { body: {} }), 404, 1202);
  });

  it('a wrong method is 1202', async () => {
    expectEnvelope(await server.api('DELETE', `${OMNI}/123`), 404, 1202, /DELETE/);
    expectEnvelope(await server.api('PUT', OMNI, { body: {} }), 404, 1202, /PUT/);
  });
});

describe('openapi.json', () => {
  it('is generated from the contract and lists every family', async () => {
    const res = await server.api('GET', '/openapi.json', { token: null });
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(res.json.paths[OMNI].post.requestBody.content['application/json'].schema.properties.aspect_ratio).toBeDefined();
    expect(res.json.paths[`${OMNI}/{id}`].get).toBeDefined();
  });
});
