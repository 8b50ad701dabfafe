// How the relay reaches a task's upstream, whichever standard created it: a legacy family's resource (create,
// recover by external id, get), or the new standard's create and `/tasks` queries, whose record is read as the
// legacy task object so the relay follows and archives both the same way. The body sent upstream carries the
// relay's external id (and hook) where its standard puts them: at the top, or under `options`.

import { familyByName, isNewStandard, type TaskObject } from '@kiln/contract';
import { asTaskObject, type Kling } from '@kiln/sdk';
import type { TaskRow } from '../../store/tasks.ts';
import { TaskFailure } from '../engine.ts';

export interface UpstreamTask {
  /** The upstream task of this external id, if an earlier attempt made it. */
  recover(externalId: string): Promise<TaskObject | undefined>;
  /** Creates the upstream task; its upstream id. */
  create(body: Record<string, unknown>): Promise<string>;
  get(upstreamTaskId: string): Promise<TaskObject>;
  /** The family's newest tasks, one page of `pageSize` (legacy families; the new standard has no such list). */
  list?(pageSize: number): Promise<TaskObject[]>;
  /** The client's body as the upstream gets it: kiln's own fields out, the relay's external id and hook in. */
  body(request: Record<string, unknown>, externalId: string, callbackUrl?: string): Record<string, unknown>;
}

/** Fields of the client's request that are kiln's to act on, never the upstream's. */
const KILN_ONLY_FIELDS = ['callback_url', 'external_task_id'] as const;

const PRODUCT_KEY = { 'text-to-video': 'textToVideo', 'image-to-video': 'imageToVideo', 'omni-video': 'omniVideo', 'motion-control': 'motionControl' } as const;

export function upstreamTask(client: Kling, task: TaskRow): UpstreamTask {
  const family = familyByName(task.family);
  if (family && isNewStandard(family)) {
    const product = client.newStandard[PRODUCT_KEY[family.product]] as unknown as {
      create(model: string, body: unknown): Promise<{ id: string }>;
      recover(externalId: string): Promise<Parameters<typeof asTaskObject>[0] | undefined>;
    };
    return {
      recover: async (externalId) => {
        const found = await product.recover(externalId);
        return found && asTaskObject(found);
      },
      create: async (body) => (await product.create(family.modelId, body)).id,
      get: async (id) => {
        const found = await client.tasks.getOne(id);
        if (!found) throw new TaskFailure(`the upstream no longer knows task ${id}`);
        return asTaskObject(found);
      },
      body: (request, externalId, callbackUrl) => {
        const options = { ...(request.options as Record<string, unknown> | undefined) };
        for (const field of KILN_ONLY_FIELDS) delete options[field];
        return { ...request, options: { ...options, external_task_id: externalId, ...(callbackUrl ? { callback_url: callbackUrl } : {}) } };
      },
    };
  }
  const resource = family && client.family(family);
  if (!resource) throw new TaskFailure(`the relay cannot carry ${task.family} tasks`);
  return {
    recover: (externalId) => resource.recover(externalId),
    create: async (body) => (await resource.create(body as never)).task_id,
    get: (id) => resource.get(id),
    list: (pageSize) => resource.list({ pageSize }),
    body: (request, externalId, callbackUrl) => {
      const body = { ...request };
      for (const field of KILN_ONLY_FIELDS) delete body[field];
      return { ...body, external_task_id: externalId, ...(callbackUrl ? { callback_url: callbackUrl } : {}) };
    },
  };
}
