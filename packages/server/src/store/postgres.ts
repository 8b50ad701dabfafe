// Opens the scaled-out store: PostgreSQL (KILN_DATABASE_URL=postgres://…) through Kysely's PostgresDialect and a `pg`
// pool, migrated on open with the same migrations as the embedded store. Kysely's PostgreSQL adapter runs them under
// its migration lock (a transaction-scoped advisory lock), so processes starting together migrate once.
//
// `pg` is pinned to the 8.x line (engines: node >= 16): kiln supports Node 20, and a new major may drop it.
//
// Values come back as the embedded store gives them: times (bigint) and counts as numbers, units (numeric) as
// numbers. Sums and charges are computed in SQL on the exact numeric; only the value read is a JavaScript number.

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { setChangeStamp, sharedStoreStamp, writeCounter } from './change-stamp.ts';
import { migrate } from './migrations.ts';
import { keepStatementsParsed } from './named-statements.ts';
import type { Database } from './schema.ts';

const INT8 = 20;
const NUMERIC = 1700;

/**
 * bigint as a number, refusing one a number cannot hold exactly (2^53 ms is year 287396: a value that large is a
 * corrupt row, better reported than silently rounded).
 */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`the store returned ${text}, beyond what kiln reads exactly as a number`);
  return n;
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return parseInt8;
    if (oid === NUMERIC) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

export interface PostgresOptions {
  /** Connections this process keeps open at most. */
  poolSize?: number;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** A pool of connections to the database the URL names, with kiln's value parsing (signals.ts holds one of them). */
export function postgresPool(url: string, options: PostgresOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types });
  // An idle connection that the server dropped (a restart, a failover) is an event on the pool, not a crash: the
  // pool replaces it, and the next query reports the failure if the database is really gone.
  pool.on('error', () => undefined);
  pool.on('connect', keepStatementsParsed);
  return pool;
}

/** The store on a pool (see postgresPool), migrated; destroying the store ends the pool. */
export async function openPostgresStore(pool: pg.Pool, options: { now?: () => number } = {}): Promise<Kysely<Database>> {
  const counter = writeCounter();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [counter.plugin] });
  setChangeStamp(db, sharedStoreStamp(counter.writes, options.now));
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

