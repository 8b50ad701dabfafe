// What clients send at the edge of HTTP, and what they get back: paths with repeated slashes, long ids in the path,
// malformed URLs, oversized headers, deeply nested JSON, bodies over the limit and requests that trickle in.
// Every answer is a Kling envelope; requests fetch cannot send go over raw sockets.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server.close(); });

const T2V = '/v1/videos/text2video';
const TRY_ON = '/v1/images/kolors-virtual-try-on';

interface RawAnswer { status: number; headers: Record<string, string>; body: string }

/** Sends bytes as they are and reads until the server closes the connection. */
function rawRequest(target: TestServer, bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(target.url).port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(parseAnswer(Buffer.concat(chunks).toString('utf8'))));
    socket.write(bytes);
  });
}

function parseAnswer(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) };
}

const request = (method: string, target: string, extra = '') =>
  `${method} ${target} HTTP/1.1\r\nHost: kiln\r\nAuthorization: Bearer ${server.creds.api_key}\r\n${extra}Connection: close\r\n\r\n`;

function expectEnvelope(answer: RawAnswer, status: number, code: number, message: RegExp) {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const json = JSON.parse(answer.body);
  expect(json).toEqual({ code, message: expect.stringMatching(message), request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
}

async function createTask(body: Record<string, unknown>, path = T2V) {
  const res = await server.api('POST', path, { body });
  expect(res.json.code).toBe(0);
  return res.json.data.task_id as string;
}

describe('repeated slashes are one slash', () => {
  it('on create, query and list, under all three prefixes', async () => {
    const id = await createTask({ prompt: 'a harbour at dawn', external_task_id: 'slashes-1' });
    for (const prefix of ['/v1', '/kling/v1', '/v1/ai/kling-v1/kling']) {
      const query = await server.api('GET', `${prefix}//videos//text2video//${id}`);
      expect([query.status, query.json.data?.task_id]).toEqual([200, id]);
      const byExternal = await server.api('GET', `${prefix}/videos/text2video//slashes-1`);
      expect(byExternal.json.data?.task_id).toBe(id);
      const list = await server.api('GET', `${prefix}/videos//text2video?pageSize=500`);
      expect(list.json.data.map((t: { task_id: string }) => t.task_id)).toContain(id);
    }
    const created = await server.api('POST', '//v1//videos//text2video', { body: { prompt: 'a second harbour' } });
    expect(created.json.code).toBe(0);
  });

  it('as Kling\'s own client queries try-on tasks', async () => {
    const image = 'https://example.com/person.png';
    const id = await createTask({ human_image: image }, TRY_ON);
    const res = await server.api('GET', `${TRY_ON}//${id}`);
    expect([res.status, res.json.code, res.json.data?.task_id]).toEqual([200, 0, id]);
  });
});

describe('ids as long as the contract allows', () => {
  it('an external_task_id of 256 characters is found in the path; a longer segment is a 1200 envelope', async () => {
    const long = 'x'.repeat(256);
    const id = await createTask({ prompt: 'a long name', external_task_id: long });
    const res = await server.api('GET', `${T2V}/${long}`);
    expect([res.status, res.json.data?.task_id]).toEqual([200, id]);
    const tooLong = await server.api('GET', `${T2V}/${'x'.repeat(257)}`);
    expect([tooLong.status, tooLong.json.code]).toEqual([400, 1200]);
    expect(tooLong.json.message).toMatch(/longer than 256 characters/);
  });
});

describe('what Fastify and Node answer by themselves is an envelope', () => {
  it('a malformed percent-encoding in the path is 1200', async () => {
    expectEnvelope(await rawRequest(server, request('GET', '/v1/videos/%E0%A4%A')), 400, 1200, /malformed percent-encoding/);
  });

  it('an over-long path segment is 1200, not 414', async () => {
    expectEnvelope(await rawRequest(server, request('GET', `${T2V}/${'a'.repeat(1000)}`)), 400, 1200, /longer than 256/);
  });

  it('a request target that is not a path is 1202; the answer to HEAD has no body', async () => {
    expectEnvelope(await rawRequest(server, request('GET', 'v1/videos/text2video')), 404, 1202, /must be a path starting with \//);
    const head = await rawRequest(server, request('HEAD', 'v1/videos/text2video'));
    expect(head.status).toBe(404);
    expect(head.body).toBe('');
  });

  it('oversized headers are 431 with a 1200 envelope', async () => {
    const answer = await rawRequest(server, request('GET', T2V, `X-Padding: ${'p'.repeat(20_000)}\r\n`));
    expectEnvelope(answer, 431, 1200, /headers are larger than the limit/);
  });

  it('a request Node cannot parse is 1200', async () => {
    expectEnvelope(await rawRequest(server, 'HELLO\r\n\r\n'), 400, 1200, /malformed HTTP request/);
  });
});

describe('request bodies', () => {
  it('JSON nested 2,000 levels deep is refused with 1200 at parse time', async () => {
    const deep = `{"prompt":"a","a":${'['.repeat(2000)}${']'.repeat(2000)}}`;
    const res = await server.api('POST', T2V, { rawBody: deep });
    expect([res.status, res.json.code]).toEqual([400, 1200]);
    expect(res.json.message).toMatch(/deeper than 64 levels/);
  });

  it('a body over the limit is answered with 1200 that a client writing its whole body first can read', async () => {
    // Eight times the 1 MB limit, more than the connection buffers hold: like Python's urllib or requests, the
    // client reads nothing until it has written everything. Answering and closing early made its write fail (EPIPE).
    const body = JSON.stringify({ prompt: 'x', padding: 'y'.repeat(8 * 1024 * 1024) });
    const answer = await new Promise<RawAnswer>((resolve, reject) => {
      const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.pause();
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(parseAnswer(Buffer.concat(chunks).toString('utf8'))));
      socket.write(`POST ${T2V} HTTP/1.1\r\nHost: kiln\r\nAuthorization: Bearer ${server.creds.api_key}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
      socket.write(body, () => socket.resume());
    });
    expectEnvelope(answer, 400, 1200, /larger than the limit of 1048576 bytes/);

    const res = await fetch(server.url + T2V, {
      method: 'POST', body,
      headers: { authorization: `Bearer ${server.creds.api_key}`, 'content-type': 'application/json' },
    });
    expect([res.status, (await res.json()).code]).toEqual([400, 1200]);
  });
});

describe('requests that arrive too slowly are cut', () => {
  let slow: TestServer;
  beforeAll(async () => {
    slow = await startTestServer({ workers: false, timeouts: { headersMs: 300, requestMs: 600, keepAliveMs: 5_000, checkIntervalMs: 100 } });
  });
  afterAll(async () => { await slow.close(); });

  it('headers that never finish get a 408 envelope and the connection is closed', async () => {
    // Only the first line of the request is sent; the server must not wait for the rest forever.
    const answer = await rawRequest(slow, `GET ${T2V} HTTP/1.1\r\nHost: kiln\r\n`);
    expectEnvelope(answer, 408, 1200, /did not arrive in time/);
  });

  it('a body that never finishes gets a 408 envelope and the connection is closed', async () => {
    const answer = await rawRequest(slow, `POST ${T2V} HTTP/1.1\r\nHost: kiln\r\nAuthorization: Bearer ${slow.creds.api_key}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"prompt":');
    expectEnvelope(answer, 408, 1200, /did not arrive in time/);
  });
});
