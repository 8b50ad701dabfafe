// The queue figures a scrape shows, read in one query over the pending jobs (done jobs are deleted, dead ones are
// left out), so the answer is the shared queue's whatever process is scraped.

import { sql } from 'kysely';
import type { Db } from '../store/open.ts';
import type { QueueStat } from './kiln-metrics.ts';

export async function queueStats(db: Db): Promise<QueueStat[]> {
  const { rows } = await sql<{ kind: string; depth: number; oldest: number | null }>`
    SELECT kind, COUNT(*) AS depth, MIN(created_at) AS oldest FROM jobs WHERE status = 'pending' GROUP BY kind`.execute(db);
  return rows.map((r) => ({ kind: r.kind, depth: Number(r.depth), oldestCreatedAt: r.oldest === null ? null : Number(r.oldest) }));
}
