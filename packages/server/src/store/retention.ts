// What the retention sweep reads and writes: finished tasks past the retention period and not yet purged, the
// compare-and-swap that makes one process the purger of a task, expired editing sessions and dead jobs.

import type { Db } from './open.ts';

export interface PurgeCandidate {
  id: string;
  request_json: string;
  result_json: string | null;
}

/** Finished tasks that ended before `cutoff` and were not purged, oldest first. */
export async function tasksToPurge(db: Db, cutoff: number, limit: number): Promise<PurgeCandidate[]> {
  return db.selectFrom('tasks').select(['id', 'request_json', 'result_json'])
    .where('purged_at', 'is', null).where('updated_at', '<', cutoff).where('status', 'in', ['succeed', 'failed'])
    .orderBy('updated_at').limit(limit).execute();
}

/** Stamps the task purged; true for the one caller (of all processes) that stamped it. */
export async function claimPurge(db: Db, taskId: string, now: number): Promise<boolean> {
  const result = await db.updateTable('tasks').set({ purged_at: now })
    .where('id', '=', taskId).where('purged_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Editing sessions that expired before `cutoff`: their videos are inputs, kept no longer than results. */
export async function sessionsToPurge(db: Db, cutoff: number, limit: number): Promise<{ id: string; video_file: string }[]> {
  return db.selectFrom('editing_sessions').select(['id', 'video_file']).where('expires_at', '<', cutoff).orderBy('expires_at').limit(limit).execute();
}

/** Deletes the session row; true for the one caller that deleted it. */
export async function claimSession(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('editing_sessions').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Dead jobs (callbacks that gave up, renders that failed for good) created before `cutoff`; returns how many. */
export async function deleteDeadJobs(db: Db, cutoff: number): Promise<number> {
  const result = await db.deleteFrom('jobs').where('status', '=', 'dead').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
