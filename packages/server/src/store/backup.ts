// An online backup of the embedded store: SQLite's backup API (better-sqlite3's .backup()) copies the database page
// by page while a server keeps using it, and the copy is consistent — unlike a file copy of a live WAL database,
// which can catch kiln.db and kiln.db-wal at different moments. Media files are written once and never changed in
// place, so they are copied with ordinary tools (the README's "Run in production" says how).

import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

/** Copies <dataDir>/kiln.db to `destination` (a new file) and returns its size in bytes. */
export async function backupSqliteStore(dataDir: string, destination: string, onProgress?: (p: BackupProgress) => void): Promise<number> {
  const source = path.join(dataDir, 'kiln.db');
  if (!fs.existsSync(source)) throw new Error(`no kiln store at ${source}`);
  // Never over an existing file: a backup that replaced the last good one and then failed would leave none.
  if (fs.existsSync(destination)) throw new Error(`${destination} exists already; give a new file name`);
  const db = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(destination, {
      progress: (info) => {
        onProgress?.(info);
        // Pages per step: SQLite lets the server write between steps, so a large backup never holds it up long.
        return 1000;
      },
    });
  } catch (error) {
    fs.rmSync(destination, { force: true });
    throw error;
  } finally {
    db.close();
  }
  return fs.statSync(destination).size;
}
