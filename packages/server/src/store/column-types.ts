// Column types that differ between the store's SQL dialects. Millisecond times overflow a 32-bit integer and units
// must add up without float drift: SQLite's INTEGER is 64-bit whatever its declared name and its REAL keeps the
// two-decimal units kiln writes (charges are rounded to cents in SQL), so the embedded store keeps the types its
// data directories were made with; PostgreSQL gets bigint for times and an exact numeric for units.
//
// Ids that the database numbers (jobs, deduction records): SQLite's INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL's
// bigserial (AUTOINCREMENT is not PostgreSQL syntax).

import { PostgresAdapter, type Kysely } from 'kysely';

export interface ColumnTypes {
  /** Unix milliseconds (and millisecond offsets). */
  ms: 'integer' | 'bigint';
  /** Resource-pack units: balances, charges, a task's price. */
  units: 'real' | 'numeric(20, 2)';
  /** A database-numbered primary key: its type, and whether it needs AUTOINCREMENT to be numbered. */
  serialId: { type: 'integer' | 'bigserial'; autoIncrement: boolean };
  postgres: boolean;
}

/** True when the store is PostgreSQL (the scaled-out store), false for embedded SQLite. */
export const isPostgres = (db: Kysely<any>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

export function columnTypes(db: Kysely<any>): ColumnTypes {
  const postgres = isPostgres(db);
  return postgres
    ? { ms: 'bigint', units: 'numeric(20, 2)', serialId: { type: 'bigserial', autoIncrement: false }, postgres }
    : { ms: 'integer', units: 'real', serialId: { type: 'integer', autoIncrement: true }, postgres };
}
