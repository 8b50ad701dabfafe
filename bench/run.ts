// `npm run bench`: kiln's API against a bare Fastify hello-world, measured in one run on this machine, printed
// as ratios (the machines are noisy; ratios within one run are what can be compared) and recorded in results/.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { recordResults } from './record.ts';

const here = import.meta.dirname;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 4);
// Baseline and kiln are measured alternately, several rounds each, and the median ratio is reported: a burst of
// load from elsewhere on the machine then skews one round, not the result.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function startServer(script: string, args: string[] = []): Promise<{ child: ChildProcess; url: string; extra: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'servers', script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (\S+)(.*)/.exec(out);
      if (m) resolve({ child, url: m[1], extra: m[2].trim().split(/\s+/).filter(Boolean) });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function measure(options: autocannon.Options): Promise<Measure> {
  // A short warm-up so both servers are measured with their JIT and caches warm.
  await autocannon({ ...options, duration: 1 });
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...options });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-'));
const baseline = await startServer('hello-world.ts');
const kiln = await startServer('kiln-api.ts', [dataDir]);
const apiKey = kiln.extra[0];
const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
const createBody = JSON.stringify({ prompt: 'a lighthouse in a storm', aspect_ratio: '16:9', duration: '5', mode: 'pro' });

try {
  const created = await fetch(`${kiln.url}/v1/videos/omni-video`, { method: 'POST', headers, body: createBody });
  const taskId = ((await created.json()) as any).data.task_id as string;

  console.log(`measuring ${ROUNDS} rounds × ${DURATION_S}s per case, ${CONNECTIONS} connections, ${os.cpus().length} cores...`);
  const plan = [
    {
      name: 'GET task by id', floor: 0.5,
      baseline: { url: `${baseline.url}/` },
      kiln: { url: `${kiln.url}/v1/videos/omni-video/${taskId}`, headers },
    },
    {
      name: 'POST create task', floor: 0.2,
      baseline: { url: `${baseline.url}/`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: createBody },
      kiln: { url: `${kiln.url}/v1/videos/omni-video`, method: 'POST' as const, headers, body: createBody },
    },
  ];
  const cases = [];
  for (const c of plan) {
    const rounds: { baseline: Measure; kiln: Measure; ratio: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const b = await measure(c.baseline);
      const k = await measure(c.kiln);
      rounds.push({ baseline: b, kiln: k, ratio: k.rps / b.rps });
      console.log(`  ${c.name} round ${r + 1}: kiln ${k.rps.toFixed(0)} req/s, baseline ${b.rps.toFixed(0)} req/s, ratio ${(k.rps / b.rps).toFixed(2)}`);
    }
    const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)];
    const non2xx = rounds.reduce((n, r) => n + r.kiln.non2xx, 0);
    cases.push({ name: c.name, floor: c.floor, kiln: median.kiln, baseline: median.baseline, ratio: median.ratio, rounds, pass: median.ratio >= c.floor && non2xx === 0 });
  }

  const lines = [
    `# kiln API benchmark — ${new Date().toISOString()}`,
    '',
    `Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), autocannon ${CONNECTIONS} connections, ${ROUNDS} alternating rounds × ${DURATION_S} s per case, loopback; the median round is shown.`,
    'Baseline: a bare Fastify hello-world (same method, same body) in the same run.',
    '',
    '| case | kiln req/s | baseline req/s | ratio (median) | floor | kiln p50 / p99 ms | baseline p50 / p99 ms | all rounds |',
    '|---|---|---|---|---|---|---|---|',
    ...cases.map((c) => `| ${c.name} | ${c.kiln.rps.toFixed(0)} | ${c.baseline.rps.toFixed(0)} | **${c.ratio.toFixed(2)}×** ${c.pass ? '✓' : '✗'} | ${c.floor}× | ${c.kiln.p50} / ${c.kiln.p99} | ${c.baseline.p50} / ${c.baseline.p99} | ${c.rounds.map((r) => r.ratio.toFixed(2)).join(', ')} |`),
    '',
  ];
  const report = lines.join('\n');
  console.log(report);
  recordResults('api', report, { node: process.version, cores: os.cpus().length, durationSeconds: DURATION_S, rounds: ROUNDS, connections: CONNECTIONS, cases });
  process.exitCode = cases.every((c) => c.pass) ? 0 : 1;
} finally {
  baseline.child.kill();
  kiln.child.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
