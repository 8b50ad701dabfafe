// `kiln migrate-store`: an embedded install (SQLite + media under its data directory) with tasks, a second tenant
// and charges is moved into PostgreSQL (a fresh database) and an S3-compatible bucket. The command prints the counts
// it verified; run again it sends nothing twice; a server on the scaled store then serves the old tasks, with the
// old API keys and the old result URLs, and bills on from the balances the old server left.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startKiln } from '../packages/server/src/kiln.ts';
import { createTestDatabase, type TestDatabase } from '../packages/server/src/store/postgres-test-db.ts';
import { unitsLeft } from '../packages/server/src/store/resource-packs.ts';
import { startS3TestServer, type S3TestServer } from '../packages/server/src/storage/s3-test-server.ts';
import { cliEnv, runCli } from './helpers/cli-run.ts';
import { startTestServer, tempDir, waitForTask } from './helpers/test-server.ts';

const T2V = '/v1/videos/text2video';
const BUCKET = 'kiln-moved';
let database: TestDatabase;
let s3: S3TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  s3 = await startS3TestServer(BUCKET);
});
afterAll(async () => {
  await s3?.close();
  await database?.drop();
});

it('moves tenants, tasks, charges and media, verifies them, resumes, and the scaled server serves them', async () => {
  const embedded = await startTestServer();
  const other = await embedded.addTenant('acme');
  const ids: string[] = [];
  for (const [i, key] of [embedded.creds.api_key, embedded.creds.api_key, other.api_key].entries()) {
    const created = await embedded.api('POST', T2V, { body: { prompt: `a kite ${i}`, duration: '5', external_task_id: `move-${i}` }, token: key });
    ids.push(created.json.data.task_id);
  }
  const before = [];
  for (const [i, id] of ids.entries()) {
    before.push((await waitForTask(embedded, T2V, id, 60_000, i === 2 ? other.api_key : undefined)).json.data);
  }
  expect(before.map((t) => t.task_status)).toEqual(['succeed', 'succeed', 'succeed']);
  const left = await unitsLeft(embedded.kiln.db, embedded.creds.tenant_id, 'video');
  await embedded.close();

  const s3Env = { KILN_S3_ENDPOINT: s3.endpoint, KILN_S3_ACCESS_KEY_ID: 'S3RVER', KILN_S3_SECRET_ACCESS_KEY: 'S3RVER', KILN_S3_FORCE_PATH_STYLE: 'true' };
  const args = ['migrate-store', '--from', embedded.dataDir, '--to', database.url, '--storage', `s3://${BUCKET}/media`];
  const first = await runCli(args, { env: cliEnv(s3Env), timeoutMs: 120_000 });
  // (stderr carries the AWS SDK's notice about Node 20, see README: Storage)
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toMatch(/^tasks: 3 rows, 3 in the target$/m);
  expect(first.stdout).toMatch(/^tenants: 2 rows, 2 in the target$/m);
  expect(first.stdout).toMatch(/^unit_deductions: 3 rows, 3 in the target$/m);
  const objects = Number(/^media: (\d+) objects in the bucket \((\d+) sent now/m.exec(first.stdout)?.[1]);
  expect(objects).toBeGreaterThanOrEqual(ids.length);
  expect(first.stdout).toContain('Verified');

  // Again: nothing is copied twice, and the counts still hold.
  const second = await runCli(args, { env: cliEnv(s3Env), timeoutMs: 120_000 });
  expect(second.code, second.stderr).toBe(0);
  expect(second.stdout).toMatch(/^tasks: 3 rows, 3 in the target$/m);
  expect(second.stdout).toContain(`media: ${objects} objects in the bucket (0 sent now`);

  // A server on the scaled store (its own empty data directory) serves what the old one made.
  const scaled = await startKiln({
    port: 0, host: '127.0.0.1', dataDir: tempDir(), databaseUrl: database.url, storage: s3.config('media'), allowPrivateUrls: true,
    workers: true, renderConcurrency: 1, callbackConcurrency: 1, callbacks: { baseDelayMs: 100, maxDelayMs: 400, giveUpAfterMs: 5_000, timeoutMs: 2_000 },
    bodyLimitBytes: 1024 * 1024, logLevel: 'silent', timing: 'fast', defaultTenant: {},
  });
  try {
    expect(scaled.createdDefaultTenant).toBeUndefined();
    for (const [i, id] of ids.entries()) {
      const key = i === 2 ? other.api_key : embedded.creds.api_key;
      const res = await fetch(`${scaled.url}${T2V}/move-${i}`, { headers: { authorization: `Bearer ${key}` } });
      const task = (await res.json()).data;
      expect(task).toMatchObject({ task_id: id, task_status: 'succeed' });
      // The URL the old server handed out (its host aside) still downloads the video, now from the bucket.
      const oldUrl = new URL(before[i].task_result.videos[0].url);
      const video = await fetch(`${scaled.url}${oldUrl.pathname}${oldUrl.search}`);
      expect(video.status).toBe(200);
      expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect(await unitsLeft(scaled.db, embedded.creds.tenant_id, 'video')).toBe(left);
    // New tasks get ids of their own, past the moved ones.
    const created = await fetch(`${scaled.url}${T2V}`, {
      method: 'POST', headers: { authorization: `Bearer ${embedded.creds.api_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'after the move', duration: '5' }),
    });
    expect((await created.json()).code).toBe(0);
  } finally {
    await scaled.close();
  }
}, 300_000);

it('refuses to copy a data directory whose server is running', async () => {
  const running = await startTestServer();
  try {
    const result = await runCli(['migrate-store', '--from', running.dataDir, '--to', database.url], { timeoutMs: 60_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('in use by another kiln process');
  } finally {
    await running.close();
  }
});
