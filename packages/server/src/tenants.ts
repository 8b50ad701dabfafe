// What the operator commands do on a kiln store without starting a server: tenant, key, pack and upstream management
// (`kiln tenant|key|pack|upstream`, the same functions the /admin endpoints call, so the CLI and the HTTP API check
// and answer alike) and online backups (`kiln backup`).

import { openStore } from './store/open-store.ts';
import { openSqliteStore, type Db } from './store/open.ts';

export { openSqliteStore, type Db };
export { createTenant, listTenants, tenantByName, type IssuedCredentials, type PackLimits } from './store/tenants.ts';
export { TIMING_PROFILES, isTimingProfile } from '@kiln/contract';
export { backupSqliteStore } from './store/backup.ts';
export {
  addKey, addTenant, addTenantPack, dropTenant, listKeys, listPacks, listTenantViews, revokeTenantKey, setTenant, showTenant,
} from './accounts/tenant-admin.ts';
export { addUpstream, dropUpstream, listUpstreamViews, setUpstream, showUpstream } from './accounts/upstream-admin.ts';
export { upstreamCosts } from './accounts/upstream-costs.ts';
export { openSecretBox } from './store/secret-box.ts';

/**
 * The store the server on this data directory uses: PostgreSQL when KILN_DATABASE_URL names one, else the SQLite
 * file under the data directory (a running server may have it open: SQLite's WAL lets both work).
 */
export async function openOperatorStore(dataDir: string, databaseUrl = process.env.KILN_DATABASE_URL || undefined): Promise<{ db: Db; close(): Promise<void> }> {
  if (databaseUrl) return openStore({ dataDir, databaseUrl, databasePoolSize: 2 }, () => {});
  // One command's few statements: no background checkpointer (the server runs its own).
  const db = await openSqliteStore(dataDir);
  return { db, close: () => db.destroy() };
}
