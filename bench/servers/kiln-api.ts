// kiln as measured: the real server (auth, validation, envelope, its store) with a tenant whose limits do not get in
// the way. Workers are off: this measures the API process, as it runs when scaled out apart from the renderers.
// Arguments: the data directory, and the API key of a tenant already made (a second process on a shared store).
// KILN_DATABASE_URL in the environment puts the store on PostgreSQL, as for the server.

import { startKiln, configFromEnv } from '@kiln/server';
import { createTenant, openSqliteStore } from '@kiln/server/tenants';
import { openStore } from '../../packages/server/src/store/open-store.ts';

const [dataDir, existingKey] = process.argv.slice(2);
const config = { ...configFromEnv({ KILN_DATABASE_URL: process.env.KILN_DATABASE_URL }), dataDir, port: 0, host: '127.0.0.1', workers: false, logLevel: 'error' };

let apiKey = existingKey;
if (!apiKey) {
  const store = config.databaseUrl ? await openStore(config, () => undefined) : undefined;
  const db = store?.db ?? await openSqliteStore(dataDir);
  apiKey = (await createTenant(db, { name: 'bench', limits: { video: 10_000_000, image: 10_000_000 } })).api_key;
  await (store ? store.close() : db.destroy());
}

const kiln = await startKiln(config);
console.log(`listening ${kiln.url} ${apiKey}`);
process.on('SIGINT', () => process.exit(0));
