// `npm run bench:api`: kiln's API against a bare Fastify hello-world, measured in one run on this machine, printed
// as ratios (the machines are noisy; ratios within one run are what can be compared) and recorded in results/.
// Two modes: the embedded default (SQLite, one process) and the scaled one (PostgreSQL, one and two API processes).
// BENCH_MODES=embedded (or scaled) measures one of them only, for a quicker look while working on it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare, CONNECTIONS, DURATION_S, ROUNDS, startServer, tableRows, type CaseResult, type Server } from './harness.ts';
import { recordResults } from './record.ts';
import { createTestDatabase } from '../packages/server/src/store/postgres-test-db.ts';

const createBody = JSON.stringify({ prompt: 'a lighthouse in a storm', aspect_ratio: '16:9', duration: '5', mode: 'pro' });
const FAMILY = '/v1/videos/omni-video';

function kilnHeaders(apiKey: string) {
  return { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
}

/** GET and create against kiln servers sharing one store (one server, or several behind no balancer: one client each). */
async function measureKiln(label: string, floors: { get: number | null; create: number | null }, baseline: Server, servers: Server[], apiKey: string): Promise<CaseResult[]> {
  const headers = kilnHeaders(apiKey);
  const created = await fetch(`${servers[0].url}${FAMILY}`, { method: 'POST', headers, body: createBody });
  const taskId = ((await created.json()) as any).data.task_id as string;
  return [
    await compare(`GET task by id${label}`, floors.get, { url: `${baseline.url}/` }, servers.map((s) => ({ url: `${s.url}${FAMILY}/${taskId}`, headers }))),
    await compare(
      `POST create task${label}`,
      floors.create,
      { url: `${baseline.url}/`, method: 'POST', headers: { 'content-type': 'application/json' }, body: createBody },
      servers.map((s) => ({ url: `${s.url}${FAMILY}`, method: 'POST' as const, headers, body: createBody })),
    ),
  ];
}

const dataDirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-'));
  dataDirs.push(dir);
  return dir;
};
const children: Server[] = [];
const start = async (script: string, args: string[] = [], env?: NodeJS.ProcessEnv) => {
  const server = await startServer(script, args, env);
  children.push(server);
  return server;
};
const stop = (servers: Server[]) => servers.forEach((s) => s.child.kill());

const cases: CaseResult[] = [];

async function measureScaled(baseline: Server) {
  const scaledEnv = { ...process.env, KILN_DATABASE_URL: database.url };
  const first = await start('kiln-api.ts', [tempDir()], scaledEnv);
  const apiKey = first.extra[0];
  cases.push(...await measureKiln(' (PostgreSQL, 1 API process)', { get: 0.3, create: 0.1 }, baseline, [first], apiKey));
  const second = await start('kiln-api.ts', [tempDir(), apiKey], scaledEnv);
  cases.push(...await measureKiln(' (PostgreSQL, 2 API processes)', { get: null, create: null }, baseline, [first, second], apiKey));
}

const database = await createTestDatabase();
try {
  const baseline = await start('hello-world.ts');
  console.log(`measuring ${ROUNDS} rounds × ${DURATION_S}s per case, ${CONNECTIONS} connections, ${os.cpus().length} cores...`);

  const modes = (process.env.BENCH_MODES ?? 'embedded,scaled').split(',');
  // Embedded: SQLite under the data directory, one process (the default `npm start`).
  if (modes.includes('embedded')) {
    const embedded = await start('kiln-api.ts', [tempDir()]);
    cases.push(...await measureKiln('', { get: 0.55, create: 0.25 }, baseline, [embedded], embedded.extra[0]));
    stop([embedded]);
  }

  // Scaled: API processes on one PostgreSQL database (workers off, as API processes run when scaled out).
  if (modes.includes('scaled')) await measureScaled(baseline);

  const report = [
    `# kiln API benchmark — ${new Date().toISOString()}`,
    '',
    `Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), autocannon ${CONNECTIONS} connections, ${ROUNDS} alternating rounds × ${DURATION_S} s per case, loopback; each side's best round is shown and compared.`,
    'Baseline: a bare Fastify hello-world (same method, same body) in the same run. With two API processes, the',
    'connections are split between them (one client each, as a balancer would) and their requests/s added up; the',
    'database, both processes and the load generator share the same cores.',
    '',
    ...tableRows(cases),
    '',
  ].join('\n');
  console.log(report);
  recordResults('api', report, { node: process.version, cores: os.cpus().length, durationSeconds: DURATION_S, rounds: ROUNDS, connections: CONNECTIONS, cases });
  process.exitCode = cases.every((c) => c.pass) ? 0 : 1;
} finally {
  stop(children);
  // The servers hold connections to the database until they are gone.
  await Promise.all(children.map((s) => (s.child.exitCode === null ? new Promise((r) => s.child.once('exit', r)) : undefined)));
  await database.drop();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
}
