// Versioned schema migrations (Kysely's Migrator): a version table records what ran, and a lock keeps two processes
// opening one database from running a migration twice. Migrations are data-directory history: never edit one that
// shipped; add the next.

import { Migrator, type Kysely, type Migration } from 'kysely';
import * as baseline from './migrations/0001-baseline.ts';
import * as owners from './migrations/0002-owners.ts';
import * as tenantKeys from './migrations/0003-tenant-keys.ts';
import * as consoleTables from './migrations/0004-console.ts';
import * as retention from './migrations/0005-retention.ts';
import * as webhookRotation from './migrations/0006-webhook-rotation.ts';
import * as tenantEngine from './migrations/0007-tenant-engine.ts';
import * as activeTasks from './migrations/0008-active-tasks.ts';
import * as admitBatch from './migrations/0009-admit-batch.ts';
import * as upstreams from './migrations/0010-upstreams.ts';
import * as upstreamHealth from './migrations/0011-upstream-health.ts';
import * as relayedIds from './migrations/0012-relayed-ids.ts';
import * as relayedIdsAge from './migrations/0013-relayed-ids-age.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-baseline': baseline,
  '0002-owners': owners,
  '0003-tenant-keys': tenantKeys,
  '0004-console': consoleTables,
  '0005-retention': retention,
  '0006-webhook-rotation': webhookRotation,
  '0007-tenant-engine': tenantEngine,
  '0008-active-tasks': activeTasks,
  '0009-admit-batch': admitBatch,
  '0010-upstreams': upstreams,
  '0011-upstream-health': upstreamHealth,
  '0012-relayed-ids': relayedIds,
  '0013-relayed-ids-age': relayedIdsAge,
};

/** Every migration's name, in the order they run. */
export const MIGRATION_NAMES = Object.keys(MIGRATIONS);

export async function migrate(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`the store could not be migrated${failed ? ` (migration ${failed})` : ''}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
