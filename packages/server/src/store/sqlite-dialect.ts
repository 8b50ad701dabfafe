// The SQLite dialect of the embedded store, with one change: when a statement fails because the database cannot
// write (SQLITE_FULL, SQLITE_IOERR), SQLite has already rolled the transaction back, and Kysely's own ROLLBACK then
// fails with "cannot rollback - no transaction is active", an error that replaces (and hides) the real one. A
// rollback is skipped when no transaction is open, so callers and logs see why the write failed.
//
// Transactions begin IMMEDIATE: they take the write lock at BEGIN, waiting for it (busy_timeout) when another
// connection (a `kiln tenant` command, a second process opening the file) holds it. A deferred transaction that
// read first and writes later cannot wait: it fails with SQLITE_BUSY once another connection wrote meanwhile.
//
// Migrations run in one such transaction (SQLite's DDL is transactional, which Kysely's SQLite adapter does not
// assume): a second process opening the same file waits for the first to finish migrating, then finds the versions
// recorded and runs nothing.

import type SQLite from 'better-sqlite3';
import { CompiledQuery, sql, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type Kysely, type MigrationLockOptions } from 'kysely';

export class KilnSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: SQLite.Database, private readonly handle: SQLite.Database = sqlite) {
    super({ database: handle });
  }

  override createAdapter(): DialectAdapter {
    return new MigrationLockingAdapter();
  }

  override createDriver(): Driver {
    const sqlite = this.sqlite;
    return new (class extends SqliteDriver {
      override async beginTransaction(connection: DatabaseConnection): Promise<void> {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      }

      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (sqlite.inTransaction) await super.rollbackTransaction(connection);
      }
    })({ database: this.handle });
  }
}

class MigrationLockingAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }

  /** A write as the transaction's first statement: it waits for (busy_timeout) and then holds the write lock. */
  override async acquireMigrationLock(db: Kysely<any>, options: MigrationLockOptions): Promise<void> {
    await sql`UPDATE ${sql.table(options.lockTable)} SET is_locked = 1 WHERE id = ${options.lockRowId}`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<any>, options: MigrationLockOptions): Promise<void> {
    await sql`UPDATE ${sql.table(options.lockTable)} SET is_locked = 0 WHERE id = ${options.lockRowId}`.execute(db);
  }
}
