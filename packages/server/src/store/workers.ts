// Worker numbers: each running process holds a small number, unique among live processes on one database, that goes
// into its task ids (tasks/ids.ts) so two processes never make the same id. A number is held by renewing its
// heartbeat; one not renewed for WORKER_STALE_MS belongs to a process that is gone and may be claimed again.

import type { Db } from './open.ts';

/** Task ids have 8 bits for the worker number. */
export const WORKER_NUMBERS = 256;
export const WORKER_STALE_MS = 60_000;
export const WORKER_HEARTBEAT_MS = 15_000;

export class NoWorkerNumber extends Error {}

/**
 * Claims the lowest number that is free or whose holder stopped renewing it. Each try is one statement (an insert
 * that, on a taken number, updates it only when its heartbeat is stale), so two processes claiming at once never
 * get the same number.
 */
export async function claimWorkerNumber(db: Db, owner: string, now = Date.now()): Promise<number> {
  const held = new Set((await db.selectFrom('workers').select('number')
    .where('heartbeat_at', '>=', now - WORKER_STALE_MS).execute()).map((r) => r.number));
  for (let number = 0; number < WORKER_NUMBERS; number++) {
    if (held.has(number)) continue;
    const res = await db.insertInto('workers').values({ number, owner, heartbeat_at: now })
      .onConflict((c) => c.column('number').doUpdateSet({ owner, heartbeat_at: now })
        .where('workers.heartbeat_at', '<', now - WORKER_STALE_MS))
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) return number;
  }
  throw new NoWorkerNumber(`all ${WORKER_NUMBERS} worker numbers are held by running processes`);
}

/** Renews the number's heartbeat; false when another process took it (this one stopped renewing for too long). */
export async function renewWorkerNumber(db: Db, number: number, owner: string, now = Date.now()): Promise<boolean> {
  const res = await db.updateTable('workers').set({ heartbeat_at: now })
    .where('number', '=', number).where('owner', '=', owner).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Frees the number at a clean shutdown, for the next process to take at once. */
export async function releaseWorkerNumber(db: Db, number: number, owner: string): Promise<void> {
  await db.deleteFrom('workers').where('number', '=', number).where('owner', '=', owner).execute();
}

/** Every worker number on record, lowest first, with its holder and last heartbeat (live or stale). */
export async function workerNumbers(db: Db): Promise<{ number: number; owner: string; heartbeat_at: number }[]> {
  return (await db.selectFrom('workers').select(['number', 'owner', 'heartbeat_at']).orderBy('number').execute())
    .map((r) => ({ number: Number(r.number), owner: r.owner, heartbeat_at: Number(r.heartbeat_at) }));
}
