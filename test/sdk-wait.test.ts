// Waiting for tasks with the SDK against real kiln servers: one with workers (tasks finish) and one without
// (tasks stay queued, so timeouts, aborts and the shared poll loop can be watched).

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KlingAbortError, TaskFailedError, WaitTimeoutError, type Kling } from '@kiln/sdk';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { clientFor, unreachableImageUrl } from './helpers/sdk-samples.ts';
import { countingFetch } from './helpers/sdk-proxy.ts';
import { rejection } from './helpers/rejection.ts';

let live: TestServer;
let stalled: TestServer;
beforeAll(async () => {
  [live, stalled] = await Promise.all([startTestServer(), startTestServer({ workers: false })]);
});
afterAll(async () => {
  await Promise.all([live?.close(), stalled?.close()]);
});

const image = { prompt: 'a lantern', aspect_ratio: '1:1' } as const;
const omni = { prompt: 'a kite', aspect_ratio: '16:9', mode: 'std', duration: '3' } as const;


describe('wait', () => {
  it('waits by task id, by created task and by external id; a finished task resolves at once', async () => {
    const client = clientFor(live);
    const created = await client.images.generations.create({ ...image, external_task_id: 'wait-by-external' });
    const [byId, byTask, byExternal] = await Promise.all([
      client.images.generations.wait(created.task_id),
      client.images.generations.wait(created),
      client.images.generations.wait('wait-by-external'),
    ]);
    for (const t of [byId, byTask, byExternal]) expect(t).toMatchObject({ task_id: created.task_id, task_status: 'succeed' });
    const counter = countingFetch();
    const again = await clientFor(live, { fetch: counter.fetch }).images.generations.wait(byId);
    expect(again).toBe(byId);
    expect(counter.calls).toHaveLength(0);
  });

  it('a failed task rejects with TaskFailedError carrying the reason; throwOnFailure: false resolves with it', async () => {
    const client = clientFor(live);
    // Accepted on create; fails when the image is fetched.
    const body = { model_name: 'kling-v3', image: await unreachableImageUrl(), prompt: 'x', mode: 'std', duration: '3' } as const;
    const error = await rejection(client.videos.image2video.createAndWait(body));
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.task.task_status).toBe('failed');
    expect(error.message).toMatch(/image/);
    const failed = await client.videos.image2video.wait(error.task.task_id, { throwOnFailure: false });
    expect(failed.task_status).toBe('failed');
    expect(failed.final_unit_deduction).toBe('0');
  });
});

// The waits below run on vitest's fake clock (setTimeout and Date only, so I/O still flows): what they check is the
// SDK's schedule, which a loaded machine would otherwise stretch. Tasks are made on the real clock first.
async function onFakeClock<T>(run: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    return await run();
  } finally {
    vi.useRealTimers();
  }
}

/** Whether a promise has settled, without waiting for it. */
function settledFlag(promise: Promise<unknown>) {
  const flag = { settled: false };
  void promise.finally(() => { flag.settled = true; });
  return flag;
}

describe('one poll loop for many waiters', () => {
  it('queries each task once per round however many wait on it, backing off while nothing changes', async () => {
    const tasks = await Promise.all([1, 2, 3, 4].map(() => clientFor(stalled).videos.omniVideo.create(omni)));
    // kiln's real answer for each task, replayed instantly, so rounds follow the client's clock alone.
    const answers = new Map<string, string>();
    for (const t of tasks) {
      const res = await fetch(`${stalled.url}/v1/videos/omni-video/${t.task_id}`, { headers: { authorization: `Bearer ${stalled.creds.api_key}` } });
      answers.set(t.task_id, await res.text());
    }
    const replay: typeof fetch = async (input) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return new Response(answers.get(url.slice(url.lastIndexOf('/') + 1)), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const counter = countingFetch(replay);
    const client: Kling = clientFor(stalled, { fetch: counter.fetch, poll: { intervalMs: 150, maxIntervalMs: 5_000, factor: 1.5 } });
    const { errors, start } = await onFakeClock(async () => {
      const start = Date.now();
      const waits = [...tasks, tasks[0], tasks[0]].map((t) => rejection(client.videos.omniVideo.wait(t, { timeoutMs: 2_500 })));
      await vi.advanceTimersByTimeAsync(2_500);
      return { errors: await Promise.all(waits), start };
    });
    for (const e of errors) expect(e).toBeInstanceOf(WaitTimeoutError);
    const perTask = tasks.map((t) => counter.calls.filter((c) => c.url.endsWith(`/${t.task_id}`)).map((c) => c.at - start));
    // Three waiters on the first task cost what one waiter costs on the others: 150 ms growing ×1.5 is 5 rounds in
    // 2.5 s (at 150, 375, 713, 1220 and 1980 ms: timers fire on whole milliseconds), where three waiters each polling
    // every 150 ms would make 48 queries.
    for (const times of perTask) expect(times).toEqual([150, 375, 713, 1220, 1980]);
  });
});

describe('timeouts and aborts', () => {
  it('a timeout rejects with the last task seen and says it may still complete', async () => {
    const client = clientFor(stalled);
    const created = await client.videos.omniVideo.create(omni);
    const { error, took, settledBefore } = await onFakeClock(async () => {
      const start = Date.now();
      const waiting = rejection(client.videos.omniVideo.wait(created, { timeoutMs: 800 }));
      const flag = settledFlag(waiting);
      await vi.advanceTimersByTimeAsync(799);
      const settledBefore = flag.settled;
      await vi.advanceTimersByTimeAsync(1);
      expect(flag.settled).toBe(true);
      return { error: await waiting, took: Date.now() - start, settledBefore };
    });
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.task).toMatchObject({ task_id: created.task_id, task_status: 'submitted' });
    expect(error.message).toMatch(/may still complete/);
    // Neither early nor late: at 800 ms on the client's clock.
    expect(settledBefore).toBe(false);
    expect(took).toBe(800);
  });

  it('aborting one wait rejects it at once with AbortError; other waits go on', async () => {
    const client = clientFor(stalled);
    const [a, b] = await Promise.all([client.videos.omniVideo.create(omni), client.videos.omniVideo.create(omni)]);
    await onFakeClock(async () => {
      const controller = new AbortController();
      const waitingA = rejection(client.videos.omniVideo.wait(a, { signal: controller.signal }));
      const other = new AbortController();
      const waitingB = rejection(client.videos.omniVideo.wait(b, { signal: other.signal }));
      const b_ = settledFlag(waitingB);
      await vi.advanceTimersByTimeAsync(300);
      const reason = new Error('user pressed stop');
      const abortedAt = Date.now();
      controller.abort(reason);
      const error = await waitingA;
      // Rejected without the clock moving: at once, not at the next poll.
      expect(Date.now()).toBe(abortedAt);
      expect(error).toBeInstanceOf(KlingAbortError);
      expect(error.name).toBe('AbortError');
      expect(error.cause).toBe(reason);
      await vi.advanceTimersByTimeAsync(300);
      expect(b_.settled).toBe(false);
      other.abort();
      expect(await waitingB).toBeInstanceOf(KlingAbortError);
    });
  });

  it('createAndWait reports the created task before waiting, and an abort leaves that task on the server', async () => {
    const client = clientFor(stalled);
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await rejection(client.videos.omniVideo.createAndWait(omni, {
      signal: controller.signal,
      onUpdate: (t) => {
        seen.push(t.task_id);
        setTimeout(() => controller.abort(), 200);
      },
    }));
    expect(error).toBeInstanceOf(KlingAbortError);
    expect(seen[0]).toMatch(/^\d{18,19}$/);
    expect((await client.videos.omniVideo.get(seen[0])).task_status).toBe('submitted');
  });
});
