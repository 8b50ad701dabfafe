// kiln as a relay for the relay bench: a tenant whose tasks go to the relay engine, and one upstream (another kiln)
// in the registry. Arguments: the data directory, the upstream's URL and API key, and `workers` to run the relay's
// workers in this process (the requests-per-task case); without it the process serves the API alone, as an API
// process of a scaled-out kiln does, and creates stay queued in the store (the overhead cases).
// Prints `listening <url> <tenant API key> <admin token>`.

import { startKiln, configFromEnv } from '@kiln/server';
import { createTenant, openSqliteStore } from '@kiln/server/tenants';

const [dataDir, upstreamUrl, upstreamKey, mode] = process.argv.slice(2);
const db = await openSqliteStore(dataDir);
const tenant = await createTenant(db, { name: 'bench', engine: 'relay', limits: { video: 10_000_000, image: 10_000_000 } });
await db.destroy();

const kiln = await startKiln({
  ...configFromEnv({}),
  dataDir,
  port: 0,
  host: '127.0.0.1',
  workers: mode === 'workers',
  logLevel: 'error',
  upstream: { name: 'default', baseUrl: upstreamUrl, pathStyle: 'official', apiKey: upstreamKey },
});
console.log(`listening ${kiln.url} ${tenant.api_key} ${kiln.adminToken}`);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => void kiln.close().then(() => process.exit(0)));
