// Which upstream a new task goes to: of those that carry its family and model (an upstream naming no models or no
// families carries all) and whose breaker is not open (breaker.ts; when every one is open, all of them: the task
// waits for the first to recover), the highest priority; among equals, the one with the most free slots in the
// task's pack type (an upstream without a limit for it counts as always free); then by name, so the choice is stable.

import type { PackType } from '@kiln/contract';
import { isOpen } from './breaker.ts';
import type { UpstreamConfig } from './upstream.ts';

export interface RoutedTask {
  family: string;
  model: string | null;
  pack: PackType;
}

export function carries(upstream: UpstreamConfig, task: RoutedTask): boolean {
  const models = upstream.models ?? [];
  const families = upstream.families ?? [];
  return (models.length === 0 || (task.model !== null && models.includes(task.model)))
    && (families.length === 0 || families.includes(task.family));
}

/**
 * The upstream for the task, or undefined when none carries it. `load` says how many slots of the pack type an
 * upstream's unfinished tasks hold or wait for; it is asked only of the best priority's upstreams, and only when
 * there is a choice between them.
 */
export async function chooseUpstream(
  upstreams: readonly UpstreamConfig[], task: RoutedTask, load: (upstream: string, pack: PackType) => Promise<number>, now = Date.now(),
): Promise<UpstreamConfig | undefined> {
  const carrying = upstreams.filter((u) => carries(u, task));
  const closed = carrying.filter((u) => !isOpen(u.health, now));
  const able = closed.length ? closed : carrying;
  if (able.length === 0) return undefined;
  const best = Math.max(...able.map((u) => u.priority ?? 0));
  const top = able.filter((u) => (u.priority ?? 0) === best).sort((a, b) => a.name.localeCompare(b.name));
  if (top.length === 1) return top[0];
  const free = await Promise.all(top.map(async (u) => {
    const limit = u.concurrency?.[task.pack];
    return limit === undefined ? Number.POSITIVE_INFINITY : limit - (await load(u.name, task.pack));
  }));
  let chosen = 0;
  for (let i = 1; i < top.length; i++) if (free[i] > free[chosen]) chosen = i;
  return top[chosen];
}
