// Creating, finding and listing a tenant's tasks. Every read and write is scoped to the calling tenant: another
// tenant's task id or external id is indistinguishable from one that does not exist.

import { KlingError, validateCreate, type AnyFamily } from '@kiln/contract';
import type { Db } from '../store/open.ts';
import { packLimit, type Tenant } from '../store/tenants.ts';
import {
  DuplicateExternalId, SlotsExhausted, findByExternalId, findTenantTask, insertTaskIfAdmitted, listTenantTasks,
  type TaskRow,
} from '../store/tasks.ts';
import { newTaskId } from './ids.ts';

export class TaskService {
  constructor(
    private readonly db: Db,
    private readonly engineName: string,
    private readonly onEnqueued: () => void,
  ) {}

  async create(tenant: Tenant, family: AnyFamily, input: unknown): Promise<TaskRow> {
    const { body, model } = validateCreate(family, input);
    const now = Date.now();
    const row: TaskRow = {
      id: newTaskId(now),
      tenant_id: tenant.id,
      family: family.name,
      external_task_id: typeof body.external_task_id === 'string' ? body.external_task_id : null,
      status: 'submitted',
      status_msg: '',
      model: 'model_name' in family.request.properties ? model : null,
      pack: family.pack,
      slots: family.slots(body),
      units: family.units(body),
      engine: this.engineName,
      request_json: JSON.stringify(body),
      result_json: null,
      callback_url: typeof body.callback_url === 'string' ? body.callback_url : null,
      watermark: body.watermark_info?.enabled === true ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
    try {
      await insertTaskIfAdmitted(this.db, row, packLimit(tenant, family.pack));
    } catch (error) {
      if (error instanceof SlotsExhausted) throw new KlingError(1303, 'parallel task over resource pack limit');
      if (error instanceof DuplicateExternalId || isUniqueViolation(error)) {
        throw new KlingError(1201, `external_task_id '${row.external_task_id}' is already used by another task of this account`);
      }
      throw error;
    }
    this.onEnqueued();
    return row;
  }

  async get(tenant: Tenant, family: AnyFamily, idOrExternalId: string): Promise<TaskRow> {
    const task = await findTenantTask(this.db, tenant.id, family.name, idOrExternalId);
    if (!task) throw new KlingError(1203, `task '${idOrExternalId}' does not exist (no ${family.name} task with this task_id or external_task_id)`);
    return task;
  }

  async getByExternalId(tenant: Tenant, family: AnyFamily, externalId: string): Promise<TaskRow> {
    const task = await findByExternalId(this.db, tenant.id, family.name, externalId);
    if (!task) throw new KlingError(1203, `task with external_task_id '${externalId}' does not exist`);
    return task;
  }

  list(tenant: Tenant, family: AnyFamily, pageNum: number, pageSize: number): Promise<TaskRow[]> {
    return listTenantTasks(this.db, tenant.id, family.name, pageNum, pageSize);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed|duplicate key/i.test(error.message);
}
