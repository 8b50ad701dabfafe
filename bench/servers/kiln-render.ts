// kiln as a gateway runs it: one process serving the API and running 4 renders at a time (workers on, timing
// 'instant' so a task ends when its media is rendered). The render bench measures the API's latency while it renders.

import { startKiln, configFromEnv } from '@kiln/server';
import { createTenant, openSqliteStore } from '@kiln/server/tenants';

const dataDir = process.argv[2];
const db = await openSqliteStore(dataDir);
const tenant = await createTenant(db, { name: 'bench', limits: { video: 1_000, image: 1_000 } });
await db.destroy();

const kiln = await startKiln({
  ...configFromEnv({}),
  dataDir,
  port: 0,
  host: '127.0.0.1',
  workers: true,
  renderConcurrency: 4,
  timing: 'instant',
  logLevel: 'error',
});
console.log(`listening ${kiln.url} ${tenant.api_key}`);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => void kiln.close().then(() => process.exit(0)));
