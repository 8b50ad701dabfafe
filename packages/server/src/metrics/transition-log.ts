// The log line of a task's status change: which task, of which family and tenant, from which status to which.

export interface TransitionLog {
  info: (obj: object, msg: string) => void;
}

export function logTransition(
  log: TransitionLog,
  task: { id: string; family: string; tenant_id: string; engine: string },
  from: string | null,
  to: string,
): void {
  log.info({ task_id: task.id, tenant_id: task.tenant_id, family: task.family, engine: task.engine, from, to }, 'task status');
}
