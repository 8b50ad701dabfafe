// One kiln process per data directory. The embedded store is correct with one writer only: the task-row cache
// (store/tasks.ts) never sees another process's writes and group commit assumes it is the only one committing, so a
// second server (or an API-only one, KILN_WORKERS=false) on the same directory would serve stale tasks. Rather than
// make that work, a second start is refused with a message saying so; scaling out is what PostgreSQL is for.
//
// The lock is SQLite's own exclusive lock on a small separate file, held by an open connection: the operating system
// drops it when the process ends, however it ends (SIGKILL included), so a killed server never blocks the next start.

import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

export class DataDirInUse extends Error {}

export interface DataDirLock {
  release(): void;
}

const LOCK_FILE = 'kiln.lock';
/** Open lock connections, kept reachable: a connection closed by the garbage collector would drop its lock. */
const held = new Set<SQLite.Database>();
/** Who holds the lock, for the message only: the lock itself cannot be read while it is held. */
const HOLDER_FILE = 'kiln.pid';

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = new SQLite(path.join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    // A write takes the exclusive lock; in EXCLUSIVE locking mode it is kept until the connection closes.
    lock.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder; COMMIT');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    const holder = readHolder(dataDir);
    throw new DataDirInUse(
      `the data directory ${dataDir} is in use by another kiln process${holder ? ` (pid ${holder})` : ''}. ` +
      'The embedded SQLite store serves one process per data directory (its task cache and group commit assume a ' +
      'single writer), whether it runs workers or not (KILN_WORKERS=false). Stop the other process, give this one ' +
      'its own KILN_DATA_DIR, or run several processes on PostgreSQL.',
    );
  }
  held.add(lock);
  fs.writeFileSync(path.join(dataDir, HOLDER_FILE), `${process.pid}\n`);
  return {
    release() {
      if (!lock.open) return;
      fs.rmSync(path.join(dataDir, HOLDER_FILE), { force: true });
      lock.close();
      held.delete(lock);
    },
  };
}

function readHolder(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, HOLDER_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
