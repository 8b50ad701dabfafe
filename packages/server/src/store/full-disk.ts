// For tests and fault drills: makes a running store's database behave as on a full disk (every write that needs a
// new page fails as the disk would make it fail), and gives it room again, without filling a real disk.

import { sql } from 'kysely';
import type { Db } from './open.ts';

/** Caps the database at the pages it has now: writes that need another one fail with SQLITE_FULL. */
export async function fillStore(db: Db): Promise<void> {
  const pages = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(db)).rows[0].page_count;
  await sql.raw(`PRAGMA max_page_count = ${Number(pages)}`).execute(db);
}

/** Lifts the cap set by fillStore (SQLite's own largest page count). */
export async function freeStore(db: Db): Promise<void> {
  await sql.raw('PRAGMA max_page_count = 1073741823').execute(db);
}
