// What the bench's kiln servers share: a fresh SQLite store with one tenant whose limits do not get in the way, kiln
// started on a free loopback port, and an orderly stop on SIGTERM (so the bench can wait for the port to close).

import { startKiln, configFromEnv, type KilnConfig } from '@kiln/server';
import { createTenant, openSqliteStore, type IssuedCredentials } from '@kiln/server/tenants';

export async function benchKiln(
  dataDir: string, config: Partial<KilnConfig>, tenant: { engine?: string; limits?: { video?: number; image?: number } } = {},
): Promise<{ url: string; adminToken: string; tenant: IssuedCredentials }> {
  const db = await openSqliteStore(dataDir);
  const made = await createTenant(db, { name: 'bench', limits: { video: 10_000_000, image: 10_000_000 }, ...tenant });
  await db.destroy();
  const kiln = await startKiln({ ...configFromEnv({}), dataDir, port: 0, host: '127.0.0.1', logLevel: 'error', ...config });
  process.on('SIGINT', () => process.exit(0));
  process.on('SIGTERM', () => void kiln.close().then(() => process.exit(0)));
  return { url: kiln.url, adminToken: kiln.adminToken, tenant: made };
}
