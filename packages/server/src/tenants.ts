// Tenant management on a data directory without starting a server (used by `kiln tenant`).

export { openSqliteStore, type Db } from './store/open.ts';
export { createTenant, listTenants, tenantByName, type IssuedCredentials, type PackLimits } from './store/tenants.ts';
export { TIMING_PROFILES, isTimingProfile } from './engines/simulator/timing.ts';
