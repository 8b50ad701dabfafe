// Keeps every callback delivery attempt in the store (store/callback-attempts.ts), for the console.

import type { Db } from '../store/open.ts';
import { recordCallbackAttempt } from '../store/callback-attempts.ts';
import type { AttemptRecorder } from './callback-jobs.ts';

export function attemptLog(db: Db): AttemptRecorder {
  return (job, report) => recordCallbackAttempt(db, {
    tenant_id: job.tenant_id ?? '',
    task_id: job.task_id,
    event_id: report.payload.eventId,
    trigger: report.payload.trigger ?? 'event',
    url: report.payload.url,
    attempted_at: report.attemptedAt,
    latency_ms: report.latencyMs,
    http_status: report.httpStatus,
    error: report.error,
    signature: report.signature,
    body: report.payload.body,
  });
}
