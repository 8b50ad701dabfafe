// What an operator runs kiln with: liveness and readiness probes, Prometheus metrics behind a token, and one JSON
// log line per request and per task status change, with no credential in any of them.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from './helpers/callback-receiver.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const OMNI = '/v1/videos/omni-video';
const METRICS_TOKEN = 'scraper-token-0123456789';

let server: TestServer;
let receiver: CallbackReceiver;
const logLines: string[] = [];
beforeAll(async () => {
  receiver = await startCallbackReceiver();
  server = await startTestServer({
    logLevel: 'info',
    logDestination: { write: (line: string) => { logLines.push(line); } },
    metricsToken: METRICS_TOKEN,
  });
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

/** Samples of a Prometheus text answer: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

async function scrape(token = server.kiln.adminToken) {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, values: samples(text) };
}

const parsedLog = () => logLines.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l));

describe('health and readiness', () => {
  it('answers /healthz and /readyz without credentials and outside the Kling envelope; /health still works', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', queue: 'ok', storage: 'ok' } });
    expect((await server.api('GET', '/health', { token: null })).json).toEqual({ status: 'ok' });
  });

  it('says storage is not ready when the media folder cannot take a file, and ready again once it can', async () => {
    const other = await startTestServer();
    try {
      const media = path.join(other.dataDir, 'media');
      // A file where the folder was: no write under it can succeed, whatever user the tests run as.
      fs.renameSync(media, `${media}.away`);
      fs.writeFileSync(media, 'not a folder');
      const res = await fetch(`${other.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable', checks: { store: 'ok', queue: 'ok', storage: 'failed (ENOTDIR)' } });
      expect((await fetch(`${other.url}/healthz`)).status).toBe(200);
      fs.rmSync(media);
      fs.renameSync(`${media}.away`, media);
      expect((await fetch(`${other.url}/readyz`)).status).toBe(200);
      expect(fs.readdirSync(media).filter((name) => name.startsWith('.'))).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('says the store and the queue are not ready when the database is closed', async () => {
    const other = await startTestServer({ workers: false });
    const destroy = other.kiln.db.destroy.bind(other.kiln.db);
    try {
      await destroy();
      // Closing the server closes the database: once is enough.
      other.kiln.db.destroy = async () => {};
      const res = await fetch(`${other.url}/readyz`);
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.status).toBe('unavailable');
      expect(body.checks.store).toMatch(/^failed/);
      expect(body.checks.queue).toMatch(/^failed/);
      expect(body.checks.storage).toBe('ok');
    } finally {
      await other.close();
    }
  });
});

describe('metrics', () => {
  it('refuses a scrape without the admin or metrics token with a plain 401', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${server.creds.api_key}`, server.kiln.adminToken]) {
      const res = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).not.toContain('kiln_');
    }
    const viaMetricsToken = await scrape(METRICS_TOKEN);
    expect(viaMetricsToken.text).toContain('# TYPE kiln_http_requests_total counter');
    expect(viaMetricsToken.text).toContain('# TYPE process_cpu_user_seconds_total counter');
  });

  it('counts a task from create to succeed: requests by route, tasks, render, job runs, stored bytes', async () => {
    const before = (await scrape()).values;
    const created = await server.api('POST', OMNI, {
      body: { prompt: 'a paper boat', aspect_ratio: '1:1', duration: '3', mode: 'std', callback_url: receiver.url },
    });
    expect(created.status).toBe(200);
    const id = created.json.data.task_id as string;
    await server.api('GET', `${OMNI}/${id}`);
    await receiver.waitFor((all) => all.some((r) => JSON.parse(r.body).task_id === id && JSON.parse(r.body).task_status === 'succeed'));
    const { text, values: after } = await scrape();
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);

    const task = 'family="omni-video",engine="simulator"';
    expect(delta(`kiln_tasks_created_total{${task}}`)).toBe(1);
    expect(delta(`kiln_tasks_finished_total{${task},status="succeed"}`)).toBe(1);
    expect(delta(`kiln_render_seconds_count{${task}}`)).toBe(1);
    expect(delta(`kiln_render_seconds_sum{${task}}`)).toBeGreaterThan(0);
    expect(delta('kiln_storage_bytes_written_total')).toBeGreaterThan(1000);
    expect(delta('kiln_job_run_seconds_count{kind="advance"}')).toBeGreaterThanOrEqual(1);
    expect(delta(`kiln_http_requests_total{method="POST",route="${OMNI}",status_code="200"}`)).toBe(1);
    expect(delta(`kiln_http_requests_total{method="GET",route="${OMNI}/:id",status_code="200"}`)).toBe(1);
    expect(delta(`kiln_http_request_duration_seconds_count{method="POST",route="${OMNI}",status_code="200"}`)).toBe(1);
    expect(after.has('kiln_queue_depth{kind="advance"}')).toBe(true);
    expect(after.has('kiln_queue_oldest_job_age_seconds{kind="callback"}')).toBe(true);
    // No label carries a task id, or any long number a raw URL would have put there.
    expect(text).not.toContain(id);
    const labels = text.split('\n').filter((l) => !l.startsWith('#')).map((l) => /\{(.*)\}/.exec(l)?.[1] ?? '');
    expect(labels.filter((l) => /\d{12,}/.test(l))).toEqual([]);
  });

  it('labels unknown paths as one route, whatever was asked', async () => {
    await server.api('GET', '/v1/nowhere/123456789012345678');
    const { text } = await scrape();
    expect(text).toMatch(/kiln_http_requests_total\{method="GET",route="\(unmatched\)",status_code="404"\} \d+/);
    expect(text).not.toContain('nowhere');
  });

  it('shows the jobs waiting in the queue and how old the oldest is', async () => {
    const other = await startTestServer({ workers: false });
    try {
      for (let i = 0; i < 3; i++) await other.api('POST', OMNI, { body: { prompt: 'queued', aspect_ratio: '1:1' } });
      const { values } = await (async () => {
        const res = await fetch(`${other.url}/metrics`, { headers: { authorization: `Bearer ${other.kiln.adminToken}` } });
        return { values: samples(await res.text()) };
      })();
      expect(values.get('kiln_queue_depth{kind="advance"}')).toBe(3);
      expect(values.get('kiln_queue_depth{kind="callback"}')).toBe(0);
      expect(values.get('kiln_queue_oldest_job_age_seconds{kind="advance"}')).toBeGreaterThanOrEqual(0);
    } finally {
      await other.close();
    }
  });
});

describe('logs', () => {
  it('writes one line per request with request_id, tenant, route and status, and a line per task status change', async () => {
    const created = await server.api('POST', OMNI, {
      body: { prompt: 'a lantern', aspect_ratio: '1:1', duration: '3', mode: 'std', callback_url: receiver.url },
    });
    const id = created.json.data.task_id as string;
    await receiver.waitFor((all) => all.some((r) => JSON.parse(r.body).task_id === id && JSON.parse(r.body).task_status === 'succeed'));
    await server.api('GET', `${OMNI}/${id}`, { token: 'not-a-key' });
    const lines = parsedLog();

    const createLine = lines.find((l) => l.request_id === created.json.request_id);
    expect(createLine).toMatchObject({ msg: 'request', method: 'POST', route: OMNI, status: 200, tenant_id: server.creds.tenant_id });
    expect(typeof createLine.ms).toBe('number');
    const refused = lines.filter((l) => l.msg === 'request' && l.route === `${OMNI}/:id` && l.status === 401);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.at(-1).tenant_id).toBeUndefined();

    const changes = lines.filter((l) => l.msg === 'task status' && l.task_id === id).map((l) => [l.from, l.to]);
    expect(changes).toEqual([[null, 'submitted'], ['submitted', 'processing'], ['processing', 'succeed']]);
    expect(lines.find((l) => l.task_id === id)).toMatchObject({ family: 'omni-video', tenant_id: server.creds.tenant_id });
  });

  it('never logs a key, token, secret, signature or Authorization header', async () => {
    await server.api('GET', `${OMNI}/123`, { headers: { authorization: `Bearer ${server.creds.api_key}` } });
    await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.kiln.adminToken}` } });
    const all = logLines.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [server.creds.api_key, server.creds.secret_key, server.creds.webhook_secret, server.kiln.adminToken, METRICS_TOKEN]) {
      if (secret) expect(all).not.toContain(secret);
    }
    expect(all.toLowerCase()).not.toContain('authorization');
    expect(all).not.toContain('webhook-signature');
    expect(all).not.toMatch(/[?&]s=/);
  });
});
