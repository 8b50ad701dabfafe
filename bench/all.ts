// `npm run bench`: the API bench, the render bench, then the relay bench, each in its own process (each starts its own servers and
// writes its own results); fails when either misses a target, after both have run.

import { spawnSync } from 'node:child_process';
import path from 'node:path';

const benches = ['run.ts', 'render.ts', 'relay.ts'];
let failed = 0;
for (const bench of benches) {
  const { status, signal } = spawnSync(process.execPath, ['--conditions=@kiln/source', '--import', 'tsx', path.join(import.meta.dirname, bench)], { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`bench/${bench} ${signal ? `was killed by ${signal}` : `exited with ${status}`}`);
    failed++;
  }
}
process.exitCode = failed ? 1 : 0;
