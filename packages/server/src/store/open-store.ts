// Opens the store a server is configured with: PostgreSQL when KILN_DATABASE_URL names one (any number of processes
// share it), the embedded SQLite file under the data directory otherwise (one process: data-dir-lock.ts). Either way
// the caller gets the database and the signals between the processes sharing it (signals.ts).

import { openSqliteStore, type Db } from './open.ts';
import { isPostgresUrl, openPostgresStore, postgresPool } from './postgres.ts';
import { localSignals, postgresSignals, type Signal, type Signals } from './signals.ts';

/** The configured PostgreSQL could not be reached or migrated: the operator's to fix, told without a stack trace. */
export class StoreUnavailable extends Error {}

/** Where a postgres:// URL points, without its credentials (for messages and logs). */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the configured database';
  }
}

export interface StoreConfig {
  dataDir: string;
  /** postgres://… of a shared PostgreSQL database; the embedded store when absent. */
  databaseUrl?: string;
  /** Connections of the pool one process keeps to PostgreSQL at most (signals have one more of their own). */
  databasePoolSize?: number;
}

export interface OpenedStore {
  db: Db;
  signals: Signals;
  close(): Promise<void>;
}

export async function openStore(config: StoreConfig, onSignal: (signal: Signal) => void): Promise<OpenedStore> {
  if (config.databaseUrl !== undefined) {
    if (!isPostgresUrl(config.databaseUrl)) throw new StoreUnavailable('KILN_DATABASE_URL must be a postgres:// (or postgresql://) URL');
    const pool = postgresPool(config.databaseUrl, { poolSize: config.databasePoolSize });
    const db = await openPostgresStore(pool).catch((error: unknown) => {
      throw new StoreUnavailable(`the PostgreSQL store at ${describeDatabase(config.databaseUrl!)} cannot be used: ${(error as Error).message}`, { cause: error });
    });
    const signals = await postgresSignals(config.databaseUrl, pool, onSignal).catch(async (error) => {
      await db.destroy();
      throw error;
    });
    return { db, signals, close: async () => { await signals.close(); await db.destroy(); } };
  }
  const db = await openSqliteStore(config.dataDir, { backgroundCheckpoints: true });
  const signals = localSignals(onSignal);
  return { db, signals, close: () => db.destroy() };
}
