// @kiln/server — start kiln in-process (tests, `kiln serve`) and manage tenants on a data directory.

export { startKiln, type Kiln } from './kiln.ts';
export { configFromEnv, type KilnConfig, DEFAULT_CALLBACK_POLICY } from './config.ts';
export { openSqliteStore, type Db } from './store/open.ts';
export { createTenant, listTenants, tenantByName, type IssuedCredentials, type PackLimits } from './store/tenants.ts';
