// kiln scaled out: 2 API and 2 worker processes on one PostgreSQL (a fresh database) and one S3-compatible bucket
// (s3rver, in this process), 300 image tasks with callbacks signed with a webhook secret. Mid-run one worker and one
// API process are killed with SIGKILL and started again. Every accepted task must succeed, be charged exactly once
// and give its slot back; every status callback arrives at least once, duplicates under the same webhook-id; every
// object in the bucket belongs to a task.
//
// The client sends each task with its own external_task_id to either API process; when a process is down (or dies
// with the request in flight) it sends it to the other, and a "used external_task_id" answer means the first
// attempt was accepted.

import fs from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deductionsPage } from '../packages/server/src/store/deductions.ts';
import type { Db } from '../packages/server/src/store/open.ts';
import { openPostgresStore, postgresPool } from '../packages/server/src/store/postgres.ts';
import { createTestDatabase, type TestDatabase } from '../packages/server/src/store/postgres-test-db.ts';
import { slotsHeld } from '../packages/server/src/store/slots.ts';
import { tenantByName, updateTenant } from '../packages/server/src/store/tenants.ts';
import { startS3TestServer, type S3TestServer } from '../packages/server/src/storage/s3-test-server.ts';
import { startCallbackReceiver, type CallbackReceiver } from './helpers/callback-receiver.ts';
import { freePort, startServerProcess, type ServerProcess } from './helpers/server-process.ts';
import { tempDir } from './helpers/test-server.ts';

const TASKS = 300;
const IMAGES = '/v1/images/generations';
const API_KEY = 'multi-process-test-key';
const WEBHOOK_SECRET = 'whsec_bXVsdGktcHJvY2Vzcy10ZXN0LXNlY3JldC0xMjM0NTY=';
const BUCKET = 'kiln-multi';

let database: TestDatabase;
let s3: S3TestServer;
let receiver: CallbackReceiver;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  s3 = await startS3TestServer(BUCKET);
  receiver = await startCallbackReceiver();
  db = await openPostgresStore(postgresPool(database.url, { poolSize: 2 }));
});
afterAll(async () => {
  await db?.destroy();
  await receiver?.close();
  await s3?.close();
  await database?.drop();
});

interface Node {
  role: 'api' | 'worker';
  port: number;
  dataDir: string;
  process?: ServerProcess;
}

function env(role: 'api' | 'worker', publicUrl: string): Record<string, string> {
  return {
    KILN_ROLE: role,
    KILN_DATABASE_URL: database.url,
    KILN_STORAGE_URL: `s3://${BUCKET}/media`,
    KILN_S3_ENDPOINT: s3.endpoint,
    KILN_S3_REGION: 'us-east-1',
    KILN_S3_ACCESS_KEY_ID: 'S3RVER',
    KILN_S3_SECRET_ACCESS_KEY: 'S3RVER',
    KILN_S3_FORCE_PATH_STYLE: 'true',
    KILN_WEBHOOK_SECRET: WEBHOOK_SECRET,
    KILN_PUBLIC_URL: publicUrl,
    KILN_TIMING: 'fast',
    KILN_RENDER_CONCURRENCY: '2',
    KILN_DATABASE_POOL_SIZE: '6',
  };
}

async function start(node: Node, publicUrl: string): Promise<void> {
  node.process = await startServerProcess(node.dataDir, API_KEY, env(node.role, publicUrl), node.port);
  if (!node.process.listening) throw new Error(`a ${node.role} process did not start:\n${node.process.output}`);
}

function kill(node: Node): Promise<void> {
  const child = node.process!.child;
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

interface Answer {
  status: number;
  json: any;
}

async function call(node: Node, method: string, route: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${node.port}${route}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, json: await res.json() };
}

/** Sends one task until an API process accepts it (or says it already did); answers its external id. */
async function submit(apis: Node[], n: number): Promise<string> {
  const external = `order-${n}`;
  const body = { prompt: `a lighthouse number ${n}`, aspect_ratio: '1:1', callback_url: receiver.url, external_task_id: external };
  for (let attempt = 0; attempt < 200; attempt++) {
    const api = apis[(n + attempt) % apis.length];
    try {
      const answer = await call(api, 'POST', IMAGES, body);
      if (answer.json.code === 0) return external;
      // Accepted by an attempt whose answer was lost with its process.
      if (answer.json.code === 1201 && /already used/.test(answer.json.message)) return external;
      // 1303 (all slots busy): the client waits, as a Kling client does.
      if (answer.json.code !== 1303) throw new Error(`task ${n} refused: ${JSON.stringify(answer.json)}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(`task ${n} refused`)) throw error;
      // The process is down or died mid-request: try the other one.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task ${n} was never accepted`);
}

async function waitAllSucceeded(api: Node, externals: string[], timeoutMs: number): Promise<Map<string, any>> {
  const done = new Map<string, any>();
  const deadline = Date.now() + timeoutMs;
  while (done.size < externals.length) {
    if (Date.now() > deadline) throw new Error(`${externals.length - done.size} tasks did not end in time`);
    for (const external of externals) {
      if (done.has(external)) continue;
      const answer = await call(api, 'GET', `${IMAGES}/${external}`);
      const status = answer.json.data?.task_status;
      if (status === 'failed') throw new Error(`task ${external} failed: ${answer.json.data.task_status_msg}`);
      if (status === 'succeed') done.set(external, answer.json.data);
    }
    if (done.size < externals.length) await new Promise((r) => setTimeout(r, 500));
  }
  return done;
}

it('2 API and 2 worker processes finish every task exactly once through a SIGKILL of one of each', async () => {
  const nodes: Node[] = [];
  for (const role of ['api', 'api', 'worker', 'worker'] as const) nodes.push({ role, port: await freePort(), dataDir: tempDir('kiln-multi-') });
  const [api1, api2, worker1, worker2] = nodes;
  const publicUrl = `http://127.0.0.1:${api1.port}`;
  // The first process makes the default tenant (and its key, KILN_API_KEY); the others find it.
  await start(api1, publicUrl);
  const tenant = (await tenantByName(db, 'default'))!;
  await updateTenant(db, tenant.id, { limit_image: 1000 });
  await Promise.all([start(api2, publicUrl), start(worker1, publicUrl), start(worker2, publicUrl)]);

  const apis = [api1, api2];
  const externals: string[] = [];
  let next = 0;
  const killed = (async () => {
    // Mid-run: once a third of the tasks are in, one worker and one API process die and come back.
    while (externals.length < TASKS / 3) await new Promise((r) => setTimeout(r, 20));
    await Promise.all([kill(worker1), kill(api2)]);
    await new Promise((r) => setTimeout(r, 1000));
    await Promise.all([start(worker1, publicUrl), start(api2, publicUrl)]);
  })();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < TASKS) externals.push(await submit(apis, next++));
  }));
  await killed;
  expect(externals).toHaveLength(TASKS);

  const tasks = await waitAllSucceeded(api1, externals, 10 * 60_000);
  const ids = [...tasks.values()].map((t) => t.task_id as string);
  expect(new Set(ids).size).toBe(TASKS);

  // Charged exactly once: one deduction per task.
  const deductions = await deductionsPage(db, tenant.id, { start: 0, end: Date.now() + 60_000, filters: {}, afterId: 0, limit: 10 * TASKS });
  const perTask = new Map<string, number>();
  for (const d of deductions) perTask.set(d.task_id, (perTask.get(d.task_id) ?? 0) + 1);
  expect(ids.filter((id) => perTask.get(id) !== 1)).toEqual([]);
  // Every slot given back.
  expect(await slotsHeld(db, tenant.id)).toEqual({ image: 0 });

  // Each status callback at least once, verified with the webhook secret; a repeat keeps its webhook-id.
  await receiver.waitFor((all) => new Set(all.map((c) => JSON.parse(c.body)).filter((b) => b.task_status === 'succeed').map((b) => b.task_id)).size >= TASKS, 5 * 60_000);
  const webhook = new Webhook(WEBHOOK_SECRET);
  const idsOf = new Map<string, Set<string>>();
  for (const c of receiver.received) {
    const body = webhook.verify(c.body, {
      'webhook-id': c.headers['webhook-id'] as string,
      'webhook-timestamp': c.headers['webhook-timestamp'] as string,
      'webhook-signature': c.headers['webhook-signature'] as string,
    }) as { task_id: string; task_status: string };
    const event = `${body.task_id}:${body.task_status}`;
    idsOf.set(event, (idsOf.get(event) ?? new Set()).add(c.headers['webhook-id'] as string));
  }
  for (const id of ids) {
    expect(idsOf.get(`${id}:succeed`)?.size).toBe(1);
    expect(idsOf.get(`${id}:processing`)?.size).toBe(1);
  }

  // Every object in the bucket is a file of one of the tasks.
  const bucketDir = path.join(s3.directory, BUCKET, 'media');
  const owners = fs.readdirSync(bucketDir);
  expect(owners.filter((owner) => !ids.includes(owner))).toEqual([]);
  // And the result URL handed out by the API serves the image from the bucket.
  const image = await fetch([...tasks.values()][0].task_result.images[0].url);
  expect(image.status).toBe(200);
  expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(100);

  await Promise.all(nodes.map((node) => kill(node)));
}, 15 * 60_000);
