// What the SDK does when things go wrong, against a real kiln server (and a misbehaving loopback proxy in front of
// it): local validation with the server's own messages, error classes, retries that never double-bill, and
// recovering a task whose create answer was lost.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError, InvalidRequestError, KlingAbortError, KlingConnectionError, KlingSdkError, RateLimitError, ServerError,
} from '@kiln/sdk';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { clientFor } from './helpers/sdk-samples.ts';
import { countingFetch, startProxy, type LoopbackProxy } from './helpers/sdk-proxy.ts';
import { rejection } from './helpers/rejection.ts';

let server: TestServer;
let proxy: LoopbackProxy;
beforeAll(async () => {
  server = await startTestServer({ workers: false });
  proxy = await startProxy(server.url);
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

const omni = { prompt: 'a kite over a beach', aspect_ratio: '16:9', mode: 'std', duration: '3' } as const;


describe('validation before sending', () => {
  const invalid: [string, string, Record<string, unknown>][] = [
    ['omni-video', 'aspect_ratio missing', { prompt: 'a kite' }],
    ['omni-video', 'a mode the model lacks', { ...omni, mode: '4k' }],
    ['text2video', 'an enum value that does not exist', { prompt: 'a fox', mode: 'ultra' }],
    ['generations', 'a required field missing', { n: 2 }],
    ['image2video', 'an unknown model (1203)', { image: 'https://example.com/a.png', model_name: 'kling-v9' }],
  ];
  it.each(invalid)('%s with %s fails locally with the exact error the server gives, sending nothing', async (name, _what, body) => {
    const counter = countingFetch();
    const local = await rejection(clientFor(server, { fetch: counter.fetch }).family(name)!.create(body as never));
    expect(counter.calls).toHaveLength(0);
    expect(local).toBeInstanceOf(InvalidRequestError);
    expect(local.local).toBe(true);
    expect(local.taskMayExist).toBe(false);

    const remote = await rejection(clientFor(server, { validation: 'off' }).family(name)!.create(body as never));
    expect(remote).toBeInstanceOf(InvalidRequestError);
    expect(remote.local).toBe(false);
    expect(remote.requestId).toBeTruthy();
    expect(local.message).toBe(remote.message);
    expect([local.code, local.httpStatus]).toEqual([remote.code, remote.httpStatus]);
  });

  it("with validation 'warn' reports the problem and sends the request anyway", async () => {
    const warnings: string[] = [];
    const client = clientFor(server, { validation: 'warn', onWarning: (m) => warnings.push(m) });
    const error = await rejection(client.videos.omniVideo.create({ prompt: 'a kite' }));
    expect(warnings).toEqual([expect.stringContaining('aspect_ratio is required')]);
    expect(error.requestId).toBeTruthy();
  });
});

describe('errors', () => {
  it('carry the class of their Kling code, the code, HTTP status and request_id', async () => {
    const auth = await rejection(clientFor(server, { apiKey: 'kiln_wrong' }).videos.omniVideo.list());
    expect(auth).toBeInstanceOf(AuthenticationError);
    expect([auth.code, auth.httpStatus]).toEqual([1002, 401]);
    expect(auth.requestId).toBeTruthy();

    const missing = await rejection(clientFor(server).videos.omniVideo.get('123456789012345678'));
    expect(missing).toBeInstanceOf(InvalidRequestError);
    expect([missing.code, missing.httpStatus]).toEqual([1201, 400]);
    expect(missing.message).toMatch(/Task not found by id\/external id: 123456789012345678/);
  });

  it('a create over the concurrency limit is a RateLimitError, is not re-sent, and made no task', async () => {
    const creds = await server.addTenant('tight', { video: 1 });
    const counter = countingFetch();
    const client = clientFor(server, { apiKey: creds.api_key, fetch: counter.fetch });
    await client.videos.omniVideo.create(omni);
    const error = await rejection(client.videos.omniVideo.create(omni));
    expect(error).toBeInstanceOf(RateLimitError);
    expect([error.code, error.httpStatus]).toEqual([1303, 429]);
    expect(error.taskMayExist).toBe(false);
    expect(counter.calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });
});

describe('retries', () => {
  it('retries reads on 5xx and 429, waiting out Retry-After', async () => {
    const answers = [
      { status: 503, body: JSON.stringify({ code: 5001, message: 'maintenance', request_id: 'r1' }) },
      { status: 429, headers: { 'retry-after': '1' }, body: JSON.stringify({ code: 1302, message: 'slow down', request_id: 'r2' }) },
    ];
    proxy.decide = (req, i) => (req.method === 'GET' && answers[i] ? { respond: answers[i] } : 'forward');
    proxy.seen.length = 0;
    const client = clientFor(server, { baseUrl: proxy.url });
    const started = Date.now();
    const page = await client.videos.text2video.list({ pageSize: 1 });
    expect(Array.isArray(page)).toBe(true);
    expect(proxy.seen).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('never re-sends a create once an answer arrived, and says whether the task may exist', async () => {
    proxy.seen.length = 0;
    proxy.decide = () => ({ respond: { status: 500, body: JSON.stringify({ code: 5000, message: 'internal error', request_id: 'r3' }) } });
    const error = await rejection(clientFor(server, { baseUrl: proxy.url }).videos.omniVideo.create(omni));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.taskMayExist).toBe(true);
    expect(error.message).toMatch(/may exist/);
    expect(proxy.seen).toHaveLength(1);
  });

  it('re-sends a create whose connection was refused: the server never saw it', async () => {
    const closed = await startProxy(server.url);
    const closedUrl = closed.url;
    await closed.close();
    const refused = await fetch(closedUrl).then(() => undefined, (e) => e);
    expect(refused).toBeDefined();
    let calls = 0;
    const flaky: typeof fetch = (input, init) => (calls++ === 0 ? Promise.reject(refused) : fetch(input, init));
    const task = await clientFor(server, { fetch: flaky }).videos.omniVideo.create(omni);
    expect(task.task_id).toMatch(/^\d{18,19}$/);
    expect(calls).toBe(2);
  });

  it('after a create whose answer was cut off, recover() finds the one task by its external_task_id', async () => {
    proxy.seen.length = 0;
    proxy.decide = (req) => (req.method === 'POST' ? 'drop-answer' : 'forward');
    const client = clientFor(server, { baseUrl: proxy.url });
    const error = await rejection(client.videos.omniVideo.create(omni));
    expect(error).toBeInstanceOf(KlingConnectionError);
    expect(error).toBeInstanceOf(KlingSdkError);
    expect(error.taskMayExist).toBe(true);
    expect(error.externalTaskId).toMatch(/^kiln-sdk-/);
    expect(proxy.seen.filter((r) => r.method === 'POST')).toHaveLength(1);

    const task = await error.recover();
    expect(task?.task_info.external_task_id).toBe(error.externalTaskId);
    const direct = await clientFor(server).videos.omniVideo.list({ pageSize: 100 });
    expect(direct.filter((t) => t.task_info.external_task_id === error.externalTaskId)).toHaveLength(1);
    expect(proxy.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('sends per-call headers (such as kiln\'s X-Kiln-Simulate) with the request', async () => {
    proxy.seen.length = 0;
    proxy.decide = () => 'forward';
    const client = clientFor(server, { baseUrl: proxy.url, headers: { 'x-client': 'every-call' } });
    await client.videos.omniVideo.create(omni, { headers: { 'x-per-call': 'yes' } });
    expect(proxy.seen[0].headers).toMatchObject({ 'x-client': 'every-call', 'x-per-call': 'yes' });
  });

  it('recover() says undefined when the create never made a task', async () => {
    expect(await clientFor(server).videos.omniVideo.recover('kiln-sdk-never-created')).toBeUndefined();
  });

  it('retries a read whose answer was cut off', async () => {
    proxy.seen.length = 0;
    proxy.decide = (req, i) => (i === 0 ? 'drop-answer' : 'forward');
    const page = await clientFor(server, { baseUrl: proxy.url }).images.generations.list();
    expect(Array.isArray(page)).toBe(true);
    expect(proxy.seen).toHaveLength(2);
  });

  it('an already aborted create sends nothing and rejects with AbortError', async () => {
    const counter = countingFetch();
    const controller = new AbortController();
    controller.abort(new Error('user cancelled'));
    const error = await rejection(clientFor(server, { fetch: counter.fetch }).videos.omniVideo.create(omni, { signal: controller.signal }));
    expect(error).toBeInstanceOf(KlingAbortError);
    expect(error.name).toBe('AbortError');
    expect(error.taskMayExist).toBe(false);
    expect(counter.calls).toHaveLength(0);
  });
});
