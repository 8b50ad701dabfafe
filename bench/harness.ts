// What the API benchmarks share: starting a server script as a child process, and measuring one case with autocannon.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';

export const DURATION_S = Number(process.env.BENCH_SECONDS ?? 3);
// Baseline and kiln are measured alternately, several rounds each, and each side's best round is its throughput.
// Load from elsewhere on a shared machine only ever slows a round down (rounds of the same server were seen to
// differ 2×, in both directions of the ratio), so the best round is the least disturbed measure of each, and a
// burst during one round decides nothing.
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
export const CONNECTIONS = 16;

export interface Measure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface Server {
  child: ChildProcess;
  url: string;
  /** Words the server printed after its URL (the bench tenant's API key). */
  extra: string[];
}

/** Runs `servers/<script>` and resolves once it printed `listening <url> …`. */
export async function startServer(script: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<Server> {
  const child = spawn(process.execPath, ['--conditions=@kiln/source', '--import', 'tsx', path.join(import.meta.dirname, 'servers', script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
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

/** One case against one server, or against several at once (one autocannon each, connections split), summed. */
export async function measure(targets: autocannon.Options | autocannon.Options[]): Promise<Measure> {
  const list = Array.isArray(targets) ? targets : [targets];
  const connections = Math.max(1, Math.floor(CONNECTIONS / list.length));
  // A short warm-up so every server is measured with its JIT and caches warm.
  await Promise.all(list.map((options) => autocannon({ ...options, connections, duration: 1 })));
  const results = await Promise.all(list.map((options) => autocannon({ connections, duration: DURATION_S, ...options })));
  return {
    rps: results.reduce((n, r) => n + r.requests.average, 0),
    // Latencies of the slowest target: what a client behind a balancer would see at worst.
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((n, r) => n + r.errors, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
  };
}

export interface CaseResult {
  name: string;
  floor: number | null;
  kiln: Measure;
  baseline: Measure;
  ratio: number;
  rounds: { baseline: Measure; kiln: Measure; ratio: number }[];
  pass: boolean;
}

/** Baseline and kiln alternately, ROUNDS times; the ratio of their best rounds is the case's. */
export async function compare(
  name: string,
  floor: number | null,
  baseline: autocannon.Options,
  kiln: autocannon.Options | autocannon.Options[],
): Promise<CaseResult> {
  const rounds: CaseResult['rounds'] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const b = await measure(baseline);
    const k = await measure(kiln);
    rounds.push({ baseline: b, kiln: k, ratio: k.rps / b.rps });
    console.log(`  ${name} round ${r + 1}: kiln ${k.rps.toFixed(0)} req/s, baseline ${b.rps.toFixed(0)} req/s, ratio ${(k.rps / b.rps).toFixed(2)}`);
  }
  const best = (side: 'kiln' | 'baseline') => rounds.map((r) => r[side]).reduce((a, b) => (b.rps > a.rps ? b : a));
  const kilnBest = best('kiln');
  const baselineBest = best('baseline');
  const ratio = kilnBest.rps / baselineBest.rps;
  const non2xx = rounds.reduce((n, r) => n + r.kiln.non2xx, 0);
  return { name, floor, kiln: kilnBest, baseline: baselineBest, ratio, rounds, pass: (floor === null || ratio >= floor) && non2xx === 0 };
}

/** The report's table rows; a case without a floor is recorded, not judged. */
export function tableRows(cases: CaseResult[]): string[] {
  return [
    '| case | kiln req/s (best) | baseline req/s (best) | ratio | floor | kiln p50 / p99 ms | baseline p50 / p99 ms | each round\'s ratio |',
    '|---|---|---|---|---|---|---|---|',
    ...cases.map((c) => {
      const verdict = c.floor === null ? '' : c.pass ? ' ✓' : ' ✗';
      return `| ${c.name} | ${c.kiln.rps.toFixed(0)} | ${c.baseline.rps.toFixed(0)} | **${c.ratio.toFixed(2)}×**${verdict} | ${c.floor === null ? '—' : `${c.floor}×`} | ${c.kiln.p50} / ${c.kiln.p99} | ${c.baseline.p50} / ${c.baseline.p99} | ${c.rounds.map((r) => r.ratio.toFixed(2)).join(', ')} |`;
    }),
  ];
}
