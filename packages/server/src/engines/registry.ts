// The engines a server runs, by name. A task names its engine in its `engine` column, so the engine that admitted a
// task is the one that advances it, whichever process picks its job up; a task whose engine this server does not run
// fails (unbilled) instead of going to another engine.

import { KlingError } from '@kiln/contract';
import type { Tenant } from '../store/tenants.ts';
import type { TaskRow } from '../store/tasks.ts';
import type { Engine, MediaFault } from './engine.ts';

export class EngineRegistry {
  private readonly byName = new Map<string, Engine>();

  constructor(engines: readonly Engine[]) {
    if (engines.length === 0) throw new Error('an engine registry needs at least one engine');
    for (const engine of engines) {
      if (this.byName.has(engine.name)) throw new Error(`engine '${engine.name}' is registered twice`);
      this.byName.set(engine.name, engine);
    }
  }

  /** The engine of that name, or undefined when this server does not run it. */
  get(name: string): Engine | undefined {
    return this.byName.get(name);
  }

  /**
   * The engine a tenant's new tasks go to: the one it names (`kiln tenant set NAME --engine relay`). A tenant whose
   * engine is not run here (or, for the relay, has no upstream for the task: relay-engine.ts) is refused rather than
   * simulated: a production tenant must never get made-up media and believe them real.
   */
  engineFor(tenant: Tenant): Engine {
    const engine = this.byName.get(tenant.engine);
    if (!engine) throw new KlingError(5000, `this account's tasks go to the ${tenant.engine} engine, which this server does not run; nothing was billed`);
    return engine;
  }

  /** How a task's result URLs misbehave, asked of the task's own engine; engines without the capability have none. */
  mediaFault(task: TaskRow): MediaFault | undefined {
    return this.get(task.engine)?.mediaFault?.(task);
  }
}

/** What a task whose engine is not run here is told; it costs nothing, as every failed task. */
export function engineMissingMessage(name: string): string {
  return `engine '${name}' is not configured on this server; the task was not billed`;
}
