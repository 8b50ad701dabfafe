// Creating, finding and listing a tenant's tasks. Every read and write is scoped to the calling tenant: another
// tenant's task id or external id is indistinguishable from one that does not exist: both get live Kling's
// "Task not found by id/external id" answer.

import { isNewStandard, KlingError, taskNotFound, taskOptionsOf, validateCreate, type AnyFamily } from '@kiln/contract';
import { packLimit, type Tenant } from '../store/tenants.ts';
import { DuplicateExternalId, PackDepleted, SlotsExhausted, type TaskRow, type TaskStore } from '../store/tasks.ts';
import { newTaskId } from './ids.ts';
import { taskPage, tasksByIds, type TaskPageQuery } from '../store/task-batch.ts';
import { checkReferences } from './references.ts';
import { assertCallbackTargetAllowed } from './callback-target.ts';
import { removeInputFiles, splitLargeInputs, writeInputFiles, type StoredRequest } from './stored-inputs.ts';
import type { Storage } from '../storage/storage.ts';
import type { AdmitInput } from '../engines/engine.ts';
import type { EngineRegistry } from '../engines/registry.ts';

export class TaskService {
  constructor(
    private readonly store: TaskStore,
    /** The engines a new task may go to: the registry picks the tenant's. */
    private readonly engines: EngineRegistry,
    private readonly onEnqueued: () => void,
    /** Whether callback_url may point at loopback or private addresses (the operator's allowPrivateUrls). */
    private readonly allowPrivateCallbacks = true,
    /** Where large Base64 inputs are kept once, beside the task's outputs (see stored-inputs.ts); inline when absent. */
    private readonly inputs?: Storage,
  ) {}

  async create(tenant: Tenant, family: AnyFamily, input: unknown, headers: AdmitInput['headers'] = {}): Promise<TaskRow> {
    const { body, model } = validateCreate(family, input);
    // Legacy bodies carry these at the top, new-standard ones under `options`.
    const options = taskOptionsOf(family, body);
    assertCallbackTargetAllowed(options.callbackUrl, this.allowPrivateCallbacks);
    // Stored outputs the request names are checked before anything is admitted or billed.
    const { inheritedModel } = await checkReferences(this.store, tenant.id, family, body, { relay: tenant.engine === 'relay' });
    const now = Date.now();
    const id = newTaskId(now);
    const engine = this.engines.engineFor(tenant);
    const engineState = await engine.admit({ taskId: id, tenant, family, body, headers });
    const stored = this.inputs ? splitLargeInputs(body) : { json: JSON.stringify(body), files: [] };
    const inputs = stored.files.length > 0 ? this.inputs : undefined;
    if (inputs) await writeInputFiles(inputs, id, stored.files);
    const row: TaskRow = {
      id,
      tenant_id: tenant.id,
      family: family.name,
      external_task_id: options.externalTaskId,
      status: 'submitted',
      status_msg: '',
      // A new-standard task keeps the model id of its path (`kling-3.0-turbo`).
      model: inheritedModel ?? ('model_name' in family.request.properties || isNewStandard(family) ? model : null),
      pack: family.pack,
      slots: family.slots(body),
      units: family.units(body),
      // The task keeps this engine for life: the runner looks it up by this name.
      engine: engine.name,
      request_json: stored.json,
      result_json: null,
      callback_url: options.callbackUrl,
      watermark: options.watermark ? 1 : 0,
      engine_json: engineState,
      processing_at: null,
      time_offset_ms: 0,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.store.insertIfAdmitted(row, packLimit(tenant, family.pack));
    } catch (error) {
      if (inputs) await removeInputFiles(inputs, id, stored.files).catch(() => undefined);
      if (error instanceof SlotsExhausted) throw new KlingError(1303, 'parallel task over resource pack limit');
      if (error instanceof PackDepleted) throw new KlingError(1102, `resource pack depleted or expired: no ${family.pack} units left`);
      if (error instanceof DuplicateExternalId || isUniqueViolation(error)) {
        // The namespace is the whole account, both standards and every product (new-standard.md §2.2, live); a
        // new-standard create is answered in live Kling's words for it.
        throw new KlingError(1201, isNewStandard(family)
          ? `External_task_id ${row.external_task_id} already exists`
          : `external_task_id '${row.external_task_id}' is already used by another task of this account`);
      }
      // The database cannot write (disk full, I/O error): nothing was stored or billed, and retrying later works.
      if (isWriteFailure(error)) {
        // The cause goes to the operator's log with the answer; the client is told only what it can act on.
        throw Object.assign(new KlingError(5000, 'internal error: the task could not be stored; nothing was billed, please retry later'), { cause: error });
      }
      throw error;
    }
    const first = await this.firstStepNow(engine, row, body, inputs ? { storage: inputs, files: stored.files } : undefined);
    this.onEnqueued();
    return first ?? row;
  }

  /**
   * The engine's first step while the client waits, where it has one (the relay's upstream create): its new state is
   * stored just after the answer, and the task's job carries on from it when next due (within a second: the first
   * look at an upstream task is not sooner anyway, and a worker that looks before the write finds the task still
   * being sent and waits); a refusal takes the task back (unbilled, its slots freed, its stored inputs removed) and
   * is the client's answer. Undefined: the task stands as stored.
   */
  private async firstStepNow(
    engine: ReturnType<EngineRegistry['engineFor']>, row: TaskRow, body: Record<string, unknown>,
    inputs?: { storage: Storage; files: StoredRequest['files'] },
  ): Promise<TaskRow | undefined> {
    const first = await engine.sendNow?.(row, body);
    if (!first) return undefined;
    if ('refused' in first) {
      await this.store.discardRefused(row);
      if (inputs) await removeInputFiles(inputs.storage, row.id, inputs.files).catch(() => undefined);
      throw first.refused;
    }
    // The task's new engine state is written once the client has its answer (the next turn of the event loop comes
    // after the reply is written), not while it waits: nothing in the answer depends on it, and until then the row
    // holds the state of admit, which the engine recovers from as from a crash mid-request (the relay's `sending`:
    // left alone for a while, then the upstream is asked for the task's external id). So a crash or a failed write
    // between the two loses nothing, and the client does not wait for a second write (0.1–0.2 ms of a relayed create).
    setImmediate(() => {
      this.store.saveEngineState(row, first.state).then((saved) => {
        if (!saved) this.deferredWriteFailed(row, new Error('the task changed before its state was written'));
      }, (error: unknown) => this.deferredWriteFailed(row, error));
    });
    return { ...row, engine_json: first.state };
  }

  /** A write made after the client's answer failed (firstStepNow): the task recovers by itself; told to the log. */
  protected deferredWriteFailed(_task: TaskRow, _error: unknown): void {}

  async get(tenant: Tenant, family: AnyFamily, idOrExternalId: string): Promise<TaskRow> {
    const task = await this.store.findForTenant(tenant.id, family.name, idOrExternalId);
    if (!task) throw taskNotFound(idOrExternalId);
    return task;
  }

  async getByExternalId(tenant: Tenant, family: AnyFamily, externalId: string): Promise<TaskRow> {
    const task = await this.store.findByExternalId(tenant.id, family.name, externalId);
    if (!task) throw taskNotFound(externalId);
    return task;
  }

  /** A tenant's task of any family, by task id. */
  async getAnyFamily(tenant: Tenant, taskId: string): Promise<TaskRow> {
    const task = await this.store.byId(taskId);
    if (!task || task.tenant_id !== tenant.id) throw taskNotFound(taskId);
    return task;
  }

  list(tenant: Tenant, family: AnyFamily, pageNum: number, pageSize: number): Promise<TaskRow[]> {
    return this.store.list(tenant.id, family.name, pageNum, pageSize);
  }

  /** The tenant's tasks of any family among up to 20 ids (new standard `GET /tasks`), in the order asked; unknown ids are left out. */
  async findMany(tenant: Tenant, by: 'task_ids' | 'external_task_ids', ids: readonly string[]): Promise<TaskRow[]> {
    const column = by === 'task_ids' ? 'id' : 'external_task_id';
    const rows = await tasksByIds(this.store.db, tenant.id, column, ids);
    const byKey = new Map(rows.map((r) => [String(r[column]), r]));
    return ids.flatMap((id) => byKey.get(id) ?? []);
  }

  /** A page of the tenant's tasks of every family, newest first (new standard `POST /tasks`). */
  page(tenant: Tenant, query: TaskPageQuery): Promise<TaskRow[]> {
    return taskPage(this.store.db, tenant.id, query);
  }
}

function isWriteFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR)/.test(code);
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed|duplicate key/i.test(error.message);
}
