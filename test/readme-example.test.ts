// The README's simulator example, written the way a user of kiln writes a test: create a task that would wait
// ten minutes, complete it through the simulator controls, and assert on the signed callback it fires.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kling, verifyCallback } from '@kiln/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
let receiver: http.Server;
let receiverUrl: string;
const callbacks: { body: string; headers: http.IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { callbacks.push({ body, headers: req.headers }); res.end(); });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kling-callback`;
});
afterAll(async () => {
  await server.close();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});

async function nextCallback(status: string) {
  for (let i = 0; i < 300; i++) {
    for (const c of callbacks) {
      const task = await verifyCallback(c.body, c.headers as Record<string, string>, server.creds.webhook_secret!);
      if (task.task_status === status) return task;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${status} callback`);
}

it('completes a delayed task at once and delivers its signed callback', async () => {
  const base = server.url;
  const auth = { Authorization: `Bearer ${server.creds.api_key}` };
  const kling = new Kling({ baseUrl: base, apiKey: server.creds.api_key });

  const created = await kling.videos.text2video.create(
    { prompt: 'a paper boat', callback_url: receiverUrl },
    { headers: { 'X-Kiln-Simulate': 'delay=10m' } },
  );
  expect((await kling.videos.text2video.get(created.task_id)).task_status).toBe('submitted');

  // "At once": the control's answer is already the finished task, not a promise about the next ten minutes.
  const completed = await fetch(`${base}/simulator/tasks/${created.task_id}/complete`, { method: 'POST', headers: auth });
  expect((await completed.json()).data.task_status).toBe('succeed');
  const callback = await nextCallback('succeed');
  expect(callback.task_id).toBe(created.task_id);
  expect(callback.task_result?.videos?.[0].duration).toBe('5');
});
