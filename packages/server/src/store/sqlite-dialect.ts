// The SQLite dialect of the embedded store, with one change: when a statement fails because the database cannot
// write (SQLITE_FULL, SQLITE_IOERR), SQLite has already rolled the transaction back, and Kysely's own ROLLBACK then
// fails with "cannot rollback - no transaction is active", an error that replaces (and hides) the real one. A
// rollback is skipped when no transaction is open, so callers and logs see why the write failed.

import type SQLite from 'better-sqlite3';
import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';

export class KilnSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: SQLite.Database, private readonly handle: SQLite.Database = sqlite) {
    super({ database: handle });
  }

  override createDriver(): Driver {
    const sqlite = this.sqlite;
    return new (class extends SqliteDriver {
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (sqlite.inTransaction) await super.rollbackTransaction(connection);
      }
    })({ database: this.handle });
  }
}
