// Copies an embedded store (the SQLite file of a data directory) into a PostgreSQL store, for `kiln migrate-store`.
// Every table the two have in common is copied row by row in pages; a row already in the target (by any of its
// unique keys) is left as it is, so a copy that stopped half-way is resumed by running it again. Tables and columns
// come from the databases themselves (Kysely's introspection): a table a later migration adds is copied too.

import { sql, type Kysely } from 'kysely';

/** Per-process rows that mean nothing to another database: worker numbers are claimed afresh by every process. */
const NOT_COPIED = new Set(['workers']);
const PAGE_ROWS = 500;

export interface TableCount {
  table: string;
  /** Rows in the source. */
  source: number;
  /** Rows in the target after the copy: at least the source's (more if the target already had rows of its own). */
  target: number;
}

export interface CopyProgress {
  table: string;
  copied: number;
  total: number;
}

/**
 * Copies every row of `from` (SQLite) into `to` (PostgreSQL, migrated to the same version or later), then moves the
 * target's id sequences past the copied ids. Returns the row counts it verified; throws when a table of the target
 * holds fewer rows than the source's.
 */
export async function copyStore(from: Kysely<any>, to: Kysely<any>, onProgress?: (p: CopyProgress) => void): Promise<TableCount[]> {
  const sourceTables = await from.introspection.getTables();
  const targetTables = new Map((await to.introspection.getTables()).map((t) => [t.name, t]));
  const counts: TableCount[] = [];
  for (const table of sourceTables) {
    if (NOT_COPIED.has(table.name)) continue;
    const target = targetTables.get(table.name);
    if (!target) throw new Error(`the target database has no table ${table.name}: is it kiln's, migrated by this version?`);
    const targetColumns = new Set(target.columns.map((c) => c.name));
    const columns = table.columns.map((c) => c.name).filter((c) => targetColumns.has(c));
    const total = await countRows(from, table.name);
    let copied = 0;
    let after = 0;
    for (;;) {
      // Pages by SQLite's rowid: stable whatever the table's key, and the source does not change (its server is stopped).
      const page = await sql<Record<string, unknown> & { kiln_rowid: number }>`
        SELECT rowid AS kiln_rowid, ${sql.join(columns.map((c) => sql.ref(c)))} FROM ${sql.table(table.name)}
        WHERE rowid > ${after} ORDER BY rowid LIMIT ${PAGE_ROWS}`.execute(from);
      if (!page.rows.length) break;
      after = page.rows[page.rows.length - 1].kiln_rowid;
      const rows = page.rows.map(({ kiln_rowid: _rowid, ...row }) => asCopied(table.name, row));
      await to.insertInto(table.name).values(rows).onConflict((c) => c.doNothing()).execute();
      copied += rows.length;
      onProgress?.({ table: table.name, copied, total });
    }
    for (const column of target.columns.filter((c) => c.isAutoIncrementing)) {
      await sql`SELECT setval(pg_get_serial_sequence(${table.name}, ${column.name}),
                              GREATEST((SELECT MAX(${sql.ref(column.name)}) FROM ${sql.table(table.name)}), 1))`.execute(to);
    }
    const count = { table: table.name, source: total, target: await countRows(to, table.name) };
    if (count.target < count.source) {
      throw new Error(`${table.name}: the target holds ${count.target} rows, the source ${count.source}: the copy is incomplete`);
    }
    counts.push(count);
  }
  return counts;
}

/** A row as the target takes it: a job leased by a process of the old server is due again for the new ones. */
function asCopied(table: string, row: Record<string, unknown>): Record<string, unknown> {
  if (table === 'jobs' && 'locked_until' in row) return { ...row, locked_until: null, locked_by: null };
  return row;
}

async function countRows(db: Kysely<any>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(db);
  return Number(rows[0].n);
}
