// The options every create carries, wherever its standard puts them: at the top of a legacy body
// (`callback_url`, `external_task_id`, `watermark_info`), under `options` in a new-standard one (spec
// new-standard.md §2.2). Empty strings mean "none", as Kling's own examples send them.

import type { AnyPlannedFamily } from './family.ts';

export interface TaskOptions {
  callbackUrl: string | null;
  externalTaskId: string | null;
  watermark: boolean;
}

export function taskOptionsOf(family: Pick<AnyPlannedFamily, 'standard'>, body: Record<string, any>): TaskOptions {
  const source: Record<string, any> = family.standard === 'new' ? (body.options ?? {}) : body;
  return {
    callbackUrl: present(source.callback_url),
    externalTaskId: present(source.external_task_id),
    watermark: source.watermark_info?.enabled === true,
  };
}

const present = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
