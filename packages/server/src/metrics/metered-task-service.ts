// The task service, counted and logged: each accepted task adds to `kiln_tasks_created_total` and writes its first
// transition line (from nothing to `submitted`), so the log shows every task's whole life.

import type { AnyFamily } from '@kiln/contract';
import type { AdmitInput } from '../engines/engine.ts';
import type { TaskRow } from '../store/tasks.ts';
import type { Tenant } from '../store/tenants.ts';
import { TaskService } from '../tasks/task-service.ts';
import type { KilnMetrics } from './kiln-metrics.ts';
import { logTransition, type TransitionLog } from './transition-log.ts';

export class MeteredTaskService extends TaskService {
  constructor(
    private readonly observer: { metrics: KilnMetrics; log: TransitionLog & { warn: (obj: object, msg: string) => void } },
    ...service: ConstructorParameters<typeof TaskService>
  ) {
    super(...service);
  }

  override async create(tenant: Tenant, family: AnyFamily, input: unknown, headers: AdmitInput['headers'] = {}): Promise<TaskRow> {
    const row = await super.create(tenant, family, input, headers);
    this.observer.metrics.taskCreated(row);
    logTransition(this.observer.log, row, null, row.status);
    return row;
  }

  protected override deferredWriteFailed(task: TaskRow, error: unknown): void {
    this.observer.log.warn({ task_id: task.id, tenant_id: task.tenant_id, err: error },
      'the task state after its create could not be written; the task is recovered from its upstream by external id');
  }
}
