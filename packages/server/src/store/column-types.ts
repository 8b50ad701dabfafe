// Column types that differ between the store's SQL dialects. Millisecond times overflow a 32-bit integer and units
// must add up without float drift: SQLite's INTEGER is 64-bit whatever its declared name and its REAL keeps the
// two-decimal units kiln writes (charges are rounded to cents in SQL), so the embedded store keeps the types its
// data directories were made with; PostgreSQL gets bigint for times and an exact numeric for units.

import { PostgresAdapter, type Kysely } from 'kysely';

export interface ColumnTypes {
  /** Unix milliseconds (and millisecond offsets). */
  ms: 'integer' | 'bigint';
  /** Resource-pack units: balances, charges, a task's price. */
  units: 'real' | 'numeric(20, 2)';
}

export function columnTypes(db: Kysely<any>): ColumnTypes {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return postgres ? { ms: 'bigint', units: 'numeric(20, 2)' } : { ms: 'integer', units: 'real' };
}
