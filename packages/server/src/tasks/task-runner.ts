// Moves a task along its lifecycle, submitted → processing → succeed | failed (spec §1.5): the `advance` job
// handler. Each status change and its callback job are written in one transaction, so a crash between them
// cannot lose a callback; a crash mid-render leaves the job leased and it runs again after a restart.

import { familyByName, type TaskStatus } from '@kiln/contract';
import type { Engine } from '../engines/engine.ts';
import { TaskFailure } from '../engines/engine.ts';
import type { Job } from '../store/jobs.ts';
import type { Db } from '../store/open.ts';
import { writeTransition, type TaskRow, type TaskStore } from '../store/tasks.ts';
import type { JobOutcome } from '../queue/worker-pool.ts';
import { callbackPayload } from '../callbacks/callback-jobs.ts';
import { toTaskObject, type UrlMaker } from './serialize.ts';
import type { StoredResult } from './stored-result.ts';

/** Internal errors (not the task's fault) are retried this many times before the task fails. */
const MAX_RENDER_ATTEMPTS = 3;

export interface TaskRunnerDeps {
  db: Db;
  store: TaskStore;
  engine: Engine;
  urls: UrlMaker;
  fetchImage: (url: string) => Promise<Buffer>;
  /** Called after jobs were enqueued, to wake their workers. */
  onEnqueued: () => void;
  log: { error: (obj: object, msg: string) => void };
}

export class TaskRunner {
  constructor(private readonly deps: TaskRunnerDeps) {}

  async advance(job: Job): Promise<JobOutcome> {
    const task = await this.deps.store.byId(job.task_id);
    if (!task || task.status === 'succeed' || task.status === 'failed') return { done: true };
    const family = familyByName(task.family);
    if (!family) {
      await this.finish(task, 'failed', `unknown family ${task.family}`);
      return { done: true };
    }
    const current = task.status === 'submitted' ? await this.transition(task, { status: 'processing' }) : task;

    let result: StoredResult;
    try {
      const plan = family.plan(JSON.parse(current.request_json));
      result = await this.deps.engine.produce(current, plan, {
        outputDir: this.deps.urls.storage.taskDir(current.id),
        fetchImage: this.deps.fetchImage,
      });
    } catch (error) {
      if (error instanceof TaskFailure) {
        await this.finish(current, 'failed', error.message);
        return { done: true };
      }
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.error({ err: error, taskId: current.id }, 'engine error');
      if (job.attempts >= MAX_RENDER_ATTEMPTS) {
        await this.finish(current, 'failed', 'internal error while generating; the task was not billed');
        return { done: true };
      }
      return { retryAt: Date.now() + 2_000 * job.attempts, error: message };
    }
    await this.finish(current, 'succeed', '', result);
    return { done: true };
  }

  private finish(task: TaskRow, status: TaskStatus, message: string, result?: StoredResult): Promise<TaskRow> {
    return this.transition(task, { status, status_msg: message, result_json: result ? JSON.stringify(result) : null });
  }

  /**
   * Writes a status change and, when the task has a callback URL, its callback job, in one transaction.
   * Returns the task as written, or as it stands if another worker moved it first.
   */
  private async transition(task: TaskRow, changes: Partial<TaskRow> & { status: TaskStatus }): Promise<TaskRow> {
    const updated: TaskRow = { ...task, ...changes, updated_at: Math.max(Date.now(), task.updated_at + 1) };
    const written = await this.deps.db.transaction().execute(async (trx) => {
      if (!(await writeTransition(trx, task, updated))) return false;
      if (task.callback_url) {
        const tenant = await trx.selectFrom('tenants').select('webhook_secret').where('id', '=', task.tenant_id).executeTakeFirst();
        const payload = callbackPayload(task.callback_url, toTaskObject(updated, this.deps.urls), tenant?.webhook_secret ?? null);
        await trx.insertInto('jobs').values({
          kind: 'callback', task_id: task.id, payload_json: JSON.stringify(payload), status: 'pending',
          run_at: Date.now(), locked_until: null, attempts: 0, last_error: null, created_at: Date.now(),
        }).execute();
      }
      return true;
    });
    if (!written) return (await this.deps.store.byId(task.id)) ?? task;
    if (task.callback_url) this.deps.onEnqueued();
    return updated;
  }
}
