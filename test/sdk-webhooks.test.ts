// verifyCallback on kiln's own callbacks: each Standard Webhooks delivery verifies and yields the typed task;
// changed bodies, wrong secrets, stale timestamps and missing headers do not. Also runs the README's raw-body
// receivers for Node's http and Fastify.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCallback, WebhookVerificationError, type NewStandardTask, type TaskObject } from '@kiln/sdk';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { startCallbackReceiver, type CallbackReceiver, type ReceivedCallback } from './helpers/callback-receiver.ts';
import { clientFor } from './helpers/sdk-samples.ts';

let server: TestServer;
let receiver: CallbackReceiver;
let deliveries: ReceivedCallback[];
let finalTask: TaskObject;
beforeAll(async () => {
  [server, receiver] = await Promise.all([startTestServer(), startCallbackReceiver()]);
  const client = clientFor(server);
  finalTask = await client.images.generations.createAndWait({ prompt: 'a signed lantern', aspect_ratio: '1:1', callback_url: receiver.url });
  deliveries = await receiver.waitFor((all) => all.some((c) => c.body.includes('"succeed"')));
});
afterAll(async () => {
  await Promise.all([server?.close(), receiver?.close()]);
});

const secret = () => server.creds.webhook_secret!;

describe('verifyCallback', () => {
  it("verifies every callback kiln sent and returns the task it carries", async () => {
    const tasks = [];
    for (const d of deliveries) tasks.push(await verifyCallback(d.body, d.headers, secret()));
    expect(tasks.map((t) => t.task_status)).toEqual(expect.arrayContaining(['processing', 'succeed']));
    const last = tasks.find((t) => t.task_status === 'succeed')!;
    expect(last.task_id).toBe(finalTask.task_id);
    expect(last.task_result?.images?.[0].url).toBe(finalTask.task_result?.images?.[0].url);
  });

  it("verifies the spec's new-standard test vector and returns its record", async () => {
    const body = '{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,"update_time":1781080794151}';
    const headers = { 'webhook-id': '9876543210', 'webhook-timestamp': '1781080794', 'webhook-signature': 'v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=' };
    const task = await verifyCallback<NewStandardTask>(body, headers, 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=', { nowSeconds: 1781080794 });
    expect(task).toMatchObject({ id: '1234567890', status: 'succeeded' });
    const changed = await verifyCallback(body.replace('succeeded', 'failed'), headers, 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=', { nowSeconds: 1781080794 }).catch((e) => e);
    expect(changed).toBeInstanceOf(WebhookVerificationError);
  });

  it('takes fetch Headers and raw bytes as well', async () => {
    const d = deliveries[0];
    const headers = new Headers(Object.entries(d.headers).map(([k, v]) => [k, String(v)] as [string, string]));
    expect((await verifyCallback(Buffer.from(d.body), headers, secret())).task_id).toBe(finalTask.task_id);
  });

  const cases: [string, (d: ReceivedCallback) => [string, Record<string, any>, string, number?], RegExp][] = [
    ['a changed body', (d) => [d.body.replace(finalTask.task_id, '999'), d.headers, secret()], /does not match/],
    ['the wrong secret', (d) => [d.body, d.headers, 'whsec_' + Buffer.from('another secret of 32 bytes......').toString('base64')], /does not match/],
    ['a replay 10 minutes later', (d) => [d.body, d.headers, secret(), Number(d.headers['webhook-timestamp']) + 600], /5 minutes/],
    ['no signature header', (d) => [d.body, { ...d.headers, 'webhook-signature': undefined }, secret()], /missing/],
  ];
  it.each(cases)('refuses %s', async (_name, make, message) => {
    const [body, headers, key, now] = make(deliveries[deliveries.length - 1]);
    const error = await verifyCallback(body, headers, key, { nowSeconds: now }).catch((e) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error.message).toMatch(message);
  });
});

/** Replays a delivery kiln made to another receiver, byte for byte with its headers. */
async function replay(url: string, d: ReceivedCallback): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) headers[name] = String(d.headers[name]);
  return (await fetch(url, { method: 'POST', headers, body: d.body })).status;
}

describe('the README receivers', () => {
  it("Node's http: read the raw body, then verify", async () => {
    const got: TaskObject[] = [];
    // --- as in packages/sdk/README.md
    const receiverServer = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      try {
        const task = await verifyCallback(Buffer.concat(chunks), req.headers, secret());
        got.push(task);
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
    });
    // ---
    await new Promise<void>((r) => receiverServer.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiverServer.address() as AddressInfo).port}/kling`;
    expect(await replay(url, deliveries[0])).toBe(200);
    expect(await replay(url, { ...deliveries[0], body: deliveries[0].body + ' ' })).toBe(400);
    expect(got).toHaveLength(1);
    await new Promise((r) => receiverServer.close(r));
  });

  it('Fastify: keep application/json as a string, then verify', async () => {
    const got: TaskObject[] = [];
    // --- as in packages/sdk/README.md
    const app = Fastify();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.post('/kling', async (req, reply) => {
      try {
        got.push(await verifyCallback(req.body as string, req.headers, secret()));
        return reply.code(200).send();
      } catch {
        return reply.code(400).send();
      }
    });
    // ---
    const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/kling`;
    expect(await replay(url, deliveries[0])).toBe(200);
    expect(await replay(url, { ...deliveries[0], body: deliveries[0].body.replace('{', '{ ') })).toBe(400);
    expect(got.map((t) => t.task_id)).toEqual([finalTask.task_id]);
    await app.close();
  });
});
