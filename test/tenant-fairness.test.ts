// One tenant's slow inputs and dead callback receiver cannot hold up another tenant's work: input downloads lend
// their render slot while they wait for bytes and give up when too slow, and workers of both pools are shared
// fairly between tenants. The slow servers here are controlled by the test: they hold their bytes until told.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueStats } from '../packages/server/src/store/jobs.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';
import { startCallbackReceiver, type CallbackReceiver } from './helpers/callback-receiver.ts';

const I2V = '/v1/videos/image2video';
const T2I = '/v1/images/generations';

interface HoldingServer {
  url: string;
  /** Requests received and not yet answered in full. */
  open: Set<http.ServerResponse>;
  received: number;
  /** Keeps each held download at 128 KB/s, above the minimum throughput, never completing, until stopped. */
  trickle: boolean;
  close: () => Promise<void>;
}

/** Answers every request with headers and then bytes that never end: a download that is held, not refused. */
async function startHoldingServer(): Promise<HoldingServer> {
  const holder: HoldingServer = { url: '', open: new Set(), received: 0, trickle: true, close: async () => undefined };
  const feed = setInterval(() => {
    if (holder.trickle) for (const res of holder.open) res.write(Buffer.alloc(32 * 1024, 7));
  }, 250);
  const server = http.createServer((req, res) => {
    holder.received++;
    res.writeHead(200, { 'content-type': 'image/png' });
    holder.open.add(res);
    res.on('close', () => holder.open.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  holder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  holder.close = async () => {
    clearInterval(feed);
    for (const res of holder.open) res.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return holder;
}

async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let server: TestServer;
beforeAll(async () => {
  // Two render workers, four callback senders (test-server defaults); callbacks wait long for an answer.
  server = await startTestServer({ callbacks: { baseDelayMs: 100, maxDelayMs: 400, giveUpAfterMs: 120_000, timeoutMs: 120_000 } });
});
afterAll(() => server.close());

describe('slow inputs of one tenant', () => {
  it('do not stall another tenant\'s task, and end as too slow once the bytes stop', async () => {
    const holder = await startHoldingServer();
    try {
      const a = await server.addTenant('slow-inputs', { video: 10 });
      const slow: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await server.api('POST', I2V, { token: a.api_key, body: { model_name: 'kling-v1', image: `${holder.url}/a${i}.png`, duration: '5' } });
        expect(res.json.code).toBe(0);
        slow.push(res.json.data.task_id);
      }
      // Every render worker would be held by now if downloads kept their slot.
      await until(() => holder.open.size >= 2, "tenant A's downloads to start");

      const b = await server.api('POST', T2I, { body: { prompt: 'a lighthouse at dusk', aspect_ratio: '1:1' } });
      const done = await waitForTask(server, T2I, b.json.data.task_id, 60_000);
      expect(done.json.data.task_status).toBe('succeed');
      // B finished while all of A's downloads are still being held.
      expect(holder.open.size).toBe(4);
      for (const id of slow) expect((await server.api('GET', `${I2V}/${id}`, { token: a.api_key })).json.data.task_status).toBe('processing');

      // The bytes stop: each download falls under the minimum throughput and its task fails naming the field.
      holder.trickle = false;
      for (const id of slow) {
        const final = await waitForTask(server, I2V, id, 60_000, a.api_key);
        expect(final.json.data.task_status).toBe('failed');
        expect(final.json.data.task_status_msg).toMatch(/^image: could not download \(too slow: \d+ bytes in 10 s \(under 32 KB\/s\)\)$/);
      }
    } finally {
      await holder.close();
    }
  });
});

describe('a dead callback receiver of one tenant', () => {
  let dead: http.Server;
  let deadUrl: string;
  let receiver: CallbackReceiver;
  const held = new Set<http.ServerResponse>();
  beforeAll(async () => {
    // A receiver that accepts connections and never answers.
    dead = http.createServer((_req, res) => { held.add(res); });
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/hook`;
    receiver = await startCallbackReceiver();
  });
  afterAll(async () => {
    for (const res of held) res.destroy();
    dead.closeAllConnections();
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    await receiver.close();
  });

  it('does not delay another tenant\'s callbacks', async () => {
    const a = await server.addTenant('dead-receiver', { image: 20 });
    for (let i = 0; i < 8; i++) {
      const res = await server.api('POST', T2I, { token: a.api_key, body: { prompt: `fog ${i}`, callback_url: deadUrl } });
      expect(res.json.code).toBe(0);
    }
    // A's callbacks occupy as many senders as A may hold, and more wait behind them.
    await until(async () => held.size >= 3 && ((await queueStats(server.kiln.db)).find((s) => s.kind === 'callback')?.depth ?? 0) > held.size, "tenant A's callbacks to pile up");

    const b = await server.api('POST', T2I, { body: { prompt: 'clear sky', callback_url: receiver.url } });
    const id = b.json.data.task_id;
    await receiver.waitFor((all) => all.some((r) => JSON.parse(r.body).task_id === id && JSON.parse(r.body).task_status === 'succeed'), 60_000);
    // Not one of A's deliveries has been answered or has timed out: B did not wait for them.
    expect([...held].every((res) => !res.writableEnded && !res.destroyed)).toBe(true);
    expect(held.size).toBeGreaterThanOrEqual(3);
  });
});
