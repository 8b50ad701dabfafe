// The upstream of the relay bench: a simulator kiln standing in for a Kling account. Arguments: the data directory,
// and `workers` to run its tasks (timing 'instant': a task ends when its media is made, after any delay its rules
// add); without it creates stay queued. Prints `listening <url> <tenant API key> <admin token>`.

import { startKiln, configFromEnv } from '@kiln/server';
import { createTenant, openSqliteStore } from '@kiln/server/tenants';

const [dataDir, mode] = process.argv.slice(2);
const db = await openSqliteStore(dataDir);
const tenant = await createTenant(db, { name: 'bench', limits: { video: 10_000_000, image: 10_000_000 } });
await db.destroy();

const kiln = await startKiln({
  ...configFromEnv({}),
  dataDir,
  port: 0,
  host: '127.0.0.1',
  workers: mode === 'workers',
  renderConcurrency: 2,
  timing: 'instant',
  logLevel: 'error',
});
console.log(`listening ${kiln.url} ${tenant.api_key} ${kiln.adminToken}`);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => void kiln.close().then(() => process.exit(0)));
