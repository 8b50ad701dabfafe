// Crash safety: `kill -9` the server while tasks are queued and rendering, start it again on the same data
// directory, and every task finishes; tenants and tasks are still there.

import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/test-server.ts';
import { startCallbackReceiver } from './helpers/callback-receiver.ts';
import { freePort, startServerProcess } from './helpers/server-process.ts';

async function startServer(dataDir: string, port: number) {
  const server = await startServerProcess(dataDir, 'kiln_restart_test_key', {}, port);
  if (!server.listening) throw new Error(`server did not start: ${server.output}`);
  return server.child;
}

const api = async (port: number, method: string, route: string, body?: unknown) => {
  const res = await fetch(`http://127.0.0.1:${port}${route}`, {
    method,
    headers: { authorization: 'Bearer kiln_restart_test_key', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json() as Promise<any>;
};

describe('restart recovery', () => {
  it('finishes every task after kill -9', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const first = await startServer(dataDir, port);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await api(port, 'POST', '/v1/videos/omni-video', { prompt: `crash test ${i}`, aspect_ratio: '16:9', duration: '5', mode: 'std' });
      expect(res.code).toBe(0);
      ids.push(res.data.task_id);
    }
    // Once rendering has started, kill without any chance to clean up.
    const statusesOn = async () => Promise.all(ids.map(async (id) => (await api(port, 'GET', `/v1/videos/omni-video/${id}`)).data.task_status as string));
    while ((await statusesOn()).every((s) => s === 'submitted')) await new Promise((r) => setTimeout(r, 20));
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    await startServer(dataDir, port);
    const deadline = Date.now() + 60_000;
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      statuses = await Promise.all(ids.map(async (id) => (await api(port, 'GET', `/v1/videos/omni-video/${id}`)).data.task_status));
      if (statuses.every((s) => s === 'succeed' || s === 'failed')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(statuses).toEqual(['succeed', 'succeed', 'succeed', 'succeed']);
    const list = await api(port, 'GET', '/v1/videos/omni-video');
    expect(list.data.map((t: any) => t.task_id).sort()).toEqual([...ids].sort());
  });
});

describe('callback retries survive a restart', () => {
  it('delivers a callback that was failing when the server was killed', async () => {
    const receiver = await startCallbackReceiver();
    try {
      let down = true;
      receiver.respond = () => (down ? 503 : 200);
      const dataDir = tempDir();
      const port = await freePort();
      const first = await startServer(dataDir, port);
      const res = await api(port, 'POST', '/v1/videos/omni-video', {
        prompt: 'retry me', aspect_ratio: '1:1', duration: '3', mode: 'std', callback_url: receiver.url,
      });
      const id = res.data.task_id;
      // The processing callback has been tried and refused at least once: its retry is pending in the database.
      await receiver.waitFor((all) => all.some((c) => JSON.parse(c.body).task_id === id));
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));

      down = false;
      await startServer(dataDir, port);
      const ofTask = (all: typeof receiver.received, status: string) =>
        all.filter((c) => JSON.parse(c.body).task_id === id && JSON.parse(c.body).task_status === status);
      // The processing event was refused before the kill; after the restart its retry gets through.
      const delivered = await receiver.waitFor((all) => ofTask(all, 'processing').length >= 2 && ofTask(all, 'succeed').length >= 1, 60_000);
      const events = delivered.filter((c) => JSON.parse(c.body).task_id === id);
      // The same event keeps its webhook-id across the attempts before and after the restart.
      const processing = events.filter((c) => JSON.parse(c.body).task_status === 'processing');
      expect(processing.length).toBeGreaterThanOrEqual(2);
      expect(new Set(processing.map((c) => c.headers['webhook-id'])).size).toBe(1);
    } finally {
      await receiver.close();
    }
  });
});
