// Callbacks (spec §1.9): each status change is POSTed as the bare task object, signed with Standard Webhooks
// headers that the `standardwebhooks` library accepts; failures are retried with backoff under one webhook-id.

import net from 'node:net';
import { Webhook } from 'standardwebhooks';
import { signWebhook, verifyWebhookSignature } from '@kiln/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from './helpers/callback-receiver.ts';
import { jobsOf } from '../packages/server/src/store/jobs.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

const OMNI = '/v1/videos/omni-video';
let server: TestServer;
let receiver: CallbackReceiver;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startCallbackReceiver();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

describe('signing', () => {
  it('matches the test vector of spec §1.9', async () => {
    const body = '{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,"update_time":1781080794151}';
    const secret = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
    const signature = await signWebhook(secret, '9876543210', 1781080794, body);
    expect(signature).toBe('v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=');
    expect(await verifyWebhookSignature(secret, { id: '9876543210', timestamp: '1781080794', signature }, body, 1781080794)).toBe(true);
    expect(await verifyWebhookSignature(secret, { id: '9876543210', timestamp: '1781080794', signature }, body + ' ', 1781080794)).toBe(false);
    expect(await verifyWebhookSignature(secret, { id: '9876543210', timestamp: '1781080794', signature }, body, 1781080794 + 301)).toBe(false);
  });
});

describe('delivery', () => {
  it('POSTs processing and succeed as bare task objects, verifiable with standardwebhooks', async () => {
    const created = await server.api('POST', OMNI, {
      body: { prompt: 'a paper boat', aspect_ratio: '1:1', duration: '3', mode: 'std', callback_url: receiver.url, external_task_id: 'cb-1' },
    });
    const id = created.json.data.task_id;
    const final = await waitForTask(server, OMNI, id);
    expect(final.json.data.task_status).toBe('succeed');
    const mine = () => receiver.received.filter((r) => JSON.parse(r.body).task_id === id);
    await receiver.waitFor(() => mine().some((r) => JSON.parse(r.body).task_status === 'succeed'));

    const statuses = mine().map((r) => JSON.parse(r.body).task_status);
    expect(statuses).toEqual(['processing', 'succeed']);
    const verifier = new Webhook(server.creds.webhook_secret!);
    for (const call of mine()) {
      expect(call.headers['content-type']).toBe('application/json');
      const payload = verifier.verify(call.body, {
        'webhook-id': call.headers['webhook-id'] as string,
        'webhook-timestamp': call.headers['webhook-timestamp'] as string,
        'webhook-signature': call.headers['webhook-signature'] as string,
      }) as any;
      // The legacy payload is the task itself, without the code/message envelope.
      expect(payload.code).toBeUndefined();
      expect(payload.task_id).toBe(id);
      expect(payload.task_info.external_task_id).toBe('cb-1');
    }
    const done = JSON.parse(mine()[1].body);
    expect(done.task_result.videos[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
    expect(done.final_unit_deduction).toBe('1.8');
    // A tampered body does not verify.
    expect(() => verifier.verify(mine()[1].body.replace('succeed', 'failed'), {
      'webhook-id': mine()[1].headers['webhook-id'] as string,
      'webhook-timestamp': mine()[1].headers['webhook-timestamp'] as string,
      'webhook-signature': mine()[1].headers['webhook-signature'] as string,
    })).toThrow();
  });

  it('retries a failing receiver with backoff under the same webhook-id until it answers 2xx', async () => {
    // The first three attempts of each event fail (500, 503, 500); the fourth gets through.
    const failures = [500, 503, 500];
    const seen = new Map<string, number>();
    receiver.respond = (call) => {
      const id = String(call.headers['webhook-id']);
      const n = seen.get(id) ?? 0;
      seen.set(id, n + 1);
      return failures[n] ?? 200;
    };
    const created = await server.api('POST', OMNI, {
      body: { prompt: 'rain on glass', aspect_ratio: '9:16', duration: '3', mode: 'std', callback_url: receiver.url },
    });
    const id = created.json.data.task_id;
    const mine = (status: string) => receiver.received.filter((r) => JSON.parse(r.body).task_id === id && JSON.parse(r.body).task_status === status);
    await receiver.waitFor(() => mine('succeed').length >= 4);
    receiver.respond = () => 200;
    const forProcessing = mine('processing');
    expect(forProcessing.length).toBe(4);
    expect(mine('succeed').length).toBe(4);
    expect(new Set(forProcessing.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const gaps = forProcessing.slice(1).map((r, i) => r.at - forProcessing[i].at);
    // Backoff of 100, 200 and 400 ms (±20 % jitter). Only lower bounds: a loaded machine adds to every gap, so comparing
    // gaps with each other or with an upper bound would measure the machine; a retry that did not back off would
    // come back after about 100 ms and fail the last two.
    expect(gaps[0]).toBeGreaterThanOrEqual(80 - 2);
    expect(gaps[1]).toBeGreaterThanOrEqual(160 - 2);
    expect(gaps[2]).toBeGreaterThanOrEqual(320 - 2);
  });

  it('records a delivery as failed once retries run out', async () => {
    const deadUrl = 'http://127.0.0.1:9/unreachable';
    const created = await server.api('POST', OMNI, {
      body: { prompt: 'fog', aspect_ratio: '1:1', duration: '3', mode: 'std', callback_url: deadUrl },
    });
    const id = created.json.data.task_id;
    const deadline = Date.now() + 20_000;
    let jobs: any[] = [];
    while (Date.now() < deadline) {
      jobs = await jobsOf(server.kiln.db, id, 'callback');
      if (jobs.length >= 2 && jobs.every((j) => j.status === 'dead')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(jobs.map((j) => j.status)).toEqual(['dead', 'dead']);
    expect(jobs[0].last_error).toMatch(/gave up after \d+ attempts/);
    expect(jobs[0].attempts).toBeGreaterThan(3);
  });
});

describe('address policy', () => {
  it('refuses a loopback or private callback_url at create when private URLs are not allowed, connecting nowhere', async () => {
    const strict = await startTestServer({ allowPrivateUrls: false, workers: false });
    let connections = 0;
    const counter = net.createServer((socket) => { connections++; socket.destroy(); });
    await new Promise<void>((r) => counter.listen(0, '127.0.0.1', r));
    const port = (counter.address() as net.AddressInfo).port;
    try {
      const targets = [`http://127.0.0.1:${port}/cb`, `http://localhost:${port}/cb`, `http://[::1]:${port}/cb`,
        `http://2130706433:${port}/cb`, 'http://10.1.2.3/cb', 'http://192.168.0.10/cb', 'http://169.254.169.254/latest'];
      for (const callback_url of targets) {
        const res = await strict.api('POST', OMNI, { body: { prompt: 'x', aspect_ratio: '1:1', callback_url } });
        expect([res.status, res.json.code]).toEqual([400, 1201]);
        expect(res.json.message).toMatch(/^callback_url: .* loopback or private address/);
      }
      expect((await strict.api('GET', `${OMNI}?pageSize=500`)).json.data).toEqual([]);
      // A public address is accepted (a name that resolves to a private one is refused at delivery instead).
      const ok = await strict.api('POST', OMNI, { body: { prompt: 'x', aspect_ratio: '1:1', callback_url: 'https://example.com/cb' } });
      expect(ok.json.code).toBe(0);
      expect(connections).toBe(0);
    } finally {
      counter.close();
      await strict.close();
    }
  });
});
