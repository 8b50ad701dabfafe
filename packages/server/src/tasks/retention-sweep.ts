// Retention: Kling deletes generated media 30 days after a task ends (spec §1.4 "Retention"), and so does kiln, by
// a periodic sweep. A finished task past the period loses its results and stored inputs (through the Storage port);
// its record stays, so it is still found by id and in lists, as on Kling, while its URLs answer 404 "this result no
// longer exists" and its outputs can no longer be referred to (references.ts refuses ids past 30 days). Editing
// sessions past the period, dead jobs and the ids relayed calls got upstream are deleted too.
//
// Safe to run in every process at once: a task is stamped purged by compare-and-swap before its objects are
// removed, so exactly one process removes each; removing is idempotent, so a process that dies halfway leaves
// objects a later look at the same keys deletes without harm (they are found by name, never by listing).

import type { Db } from '../store/open.ts';
import { claimPurge, claimSession, deleteDeadJobs, sessionsToPurge, tasksToPurge } from '../store/retention.ts';
import { forgetRelayedIdsBefore } from '../store/relayed-ids.ts';
import { resultFiles } from '../storage/result-files.ts';
import type { Storage } from '../storage/storage.ts';
import { storedInputNames } from './stored-inputs.ts';
import type { StoredResult } from './stored-result.ts';

const DAY_MS = 24 * 3600 * 1000;
/** Tasks purged per query: a large backlog (a first sweep after a long time) is worked through in pages. */
const PAGE = 200;
/** Once an hour is plenty for a period counted in days, and costs one indexed query when nothing is due. */
export const RETENTION_SWEEP_INTERVAL_MS = 3600_000;

export interface SweepReport {
  tasks: number;
  sessions: number;
  deadJobs: number;
  /** Ids relay tenants' calls got upstream (sessions, audio), forgotten once past the period. */
  relayedIds: number;
}

export interface RetentionOptions {
  retentionDays: number;
  /** The clock (tests move it); Date.now by default. */
  now?: () => number;
  log?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly now: () => number;

  constructor(private readonly db: Db, private readonly storage: Storage, private readonly options: RetentionOptions) {
    this.now = options.now ?? Date.now;
  }

  /** One pass: everything past the period at this moment is purged. */
  async sweepOnce(): Promise<SweepReport> {
    const now = this.now();
    const cutoff = now - this.options.retentionDays * DAY_MS;
    const report: SweepReport = { tasks: 0, sessions: 0, deadJobs: 0, relayedIds: 0 };
    for (;;) {
      const page = await tasksToPurge(this.db, cutoff, PAGE);
      for (const task of page) {
        if (!(await claimPurge(this.db, task.id, now))) continue;
        const names = [
          ...storedInputNames(task.request_json),
          ...(task.result_json ? resultFiles(JSON.parse(task.result_json) as StoredResult) : []),
        ];
        await this.storage.removeTask(task.id, names);
        report.tasks++;
      }
      if (page.length < PAGE) break;
    }
    for (;;) {
      const page = await sessionsToPurge(this.db, cutoff, PAGE);
      for (const session of page) {
        if (!(await claimSession(this.db, session.id))) continue;
        await this.storage.removeTask(session.id, [session.video_file]);
        report.sessions++;
      }
      if (page.length < PAGE) break;
    }
    report.deadJobs = await deleteDeadJobs(this.db, cutoff);
    report.relayedIds = await forgetRelayedIdsBefore(this.db, cutoff);
    if (report.tasks || report.sessions || report.deadJobs || report.relayedIds) this.options.log?.info({ ...report, retention_days: this.options.retentionDays }, 'retention sweep');
    return report;
  }

  /** Sweeps now and then every `intervalMs` until stopped; a failed pass is logged and tried again next time. */
  start(intervalMs = RETENTION_SWEEP_INTERVAL_MS): void {
    if (this.options.retentionDays <= 0) return;
    const pass = () => {
      this.running = this.sweepOnce()
        .catch((error: unknown) => this.options.log?.error({ err: error }, 'retention sweep failed'))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(pass, intervalMs).unref();
        });
    };
    this.timer = setTimeout(pass, 0).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
