// kiln as measured: the real server (SQLite, auth, validation, envelope) with a tenant whose limits do not get in
// the way. Workers are off: this measures the API process, as it runs when scaled out apart from the renderers.

import { startKiln, configFromEnv } from '@kiln/server';
import { createTenant, openSqliteStore } from '@kiln/server/tenants';

const dataDir = process.argv[2];
const db = await openSqliteStore(dataDir);
const tenant = await createTenant(db, { name: 'bench', limits: { video: 10_000_000, image: 10_000_000 } });
await db.destroy();

const kiln = await startKiln({ ...configFromEnv({}), dataDir, port: 0, host: '127.0.0.1', workers: false, logLevel: 'error' });
console.log(`listening ${kiln.url} ${tenant.api_key}`);
process.on('SIGINT', () => process.exit(0));
