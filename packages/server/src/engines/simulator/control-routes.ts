// Simulator controls, so a test suite need not wait for the timing profile:
//   POST /simulator/tasks/{task_id}/complete   finish the task now (queue and generation skipped; a stuck task is
//                                              released), answering with the finished task; its callbacks fire
//   POST /simulator/tasks/{task_id}/advance    move the task's clock forward: body {"seconds": 30}
//   POST /simulator/tasks/complete             finish all of the caller's unfinished tasks
// They act on the caller's own tasks only (same credentials as the Kling API). Operators set global faults with
//   GET|PUT /admin/simulator/rules            (Authorization: Bearer <admin token>)

import { timingSafeEqual } from 'node:crypto';
import { KlingError, successEnvelope } from '@kiln/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TaskRow, TaskStore } from '../../store/tasks.ts';
import type { Tenant } from '../../store/tenants.ts';
import type { Db } from '../../store/open.ts';
import { toTaskObject, type UrlMaker } from '../../tasks/serialize.ts';
import type { TaskService } from '../../tasks/task-service.ts';
import { readSimulatedTask } from './simulator-engine.ts';
import { loadRules, saveRules, validateRules } from './rules.ts';

/** Far enough ahead that every wait of every profile is over. */
const FOREVER_MS = 10 * 365 * 24 * 3600 * 1000;
const SETTLE_TIMEOUT_MS = 120_000;

export interface ControlDeps {
  db: Db;
  store: TaskStore;
  tasks: TaskService;
  urls: UrlMaker;
  wake: () => void;
  authenticate: (request: FastifyRequest) => Promise<Tenant>;
  adminToken: string;
  onRulesChanged: () => void;
  /** Who may set the rules when not the admin token alone: the console's operator sessions too (console-auth.ts). */
  authorizeOperator?: (request: FastifyRequest) => Promise<void>;
}

export function registerSimulatorControls(app: FastifyInstance, deps: ControlDeps): void {
  const { store, urls } = deps;
  const show = (task: TaskRow) => toTaskObject(task, urls);

  // Control calls need no body, but many HTTP wrappers send `Content-Type: application/json` with an empty one.
  const config = { emptyBodyIsObject: true };

  app.post<{ Params: { id: string } }>('/simulator/tasks/:id/complete', { config }, async (request, reply) => {
    const tenant = await deps.authenticate(request);
    const task = await deps.tasks.getAnyFamily(tenant, request.params.id);
    return reply.send(successEnvelope(request.id, show(await complete(deps, task))));
  });

  app.post<{ Params: { id: string }; Body: { seconds?: unknown } }>('/simulator/tasks/:id/advance', { config }, async (request, reply) => {
    const tenant = await deps.authenticate(request);
    const seconds = (request.body as { seconds?: unknown } | undefined)?.seconds;
    if (typeof seconds !== 'number' || !(seconds > 0) || seconds > 86_400 * 365) {
      throw new KlingError(1201, 'seconds must be a number of seconds greater than 0');
    }
    const task = await deps.tasks.getAnyFamily(tenant, request.params.id);
    await store.update(task.id, { time_offset_ms: task.time_offset_ms + Math.round(seconds * 1000) });
    const settled = await settle(deps, task.id, () => false);
    return reply.send(successEnvelope(request.id, show(settled)));
  });

  app.post('/simulator/tasks/complete', { config }, async (request, reply) => {
    const tenant = await deps.authenticate(request);
    const unfinished = await store.unfinished(tenant.id);
    const done = await Promise.all(unfinished.map((task) => complete(deps, task)));
    return reply.send(successEnvelope(request.id, done.map(show)));
  });

  const requireAdmin = async (request: FastifyRequest) => {
    if (deps.authorizeOperator) return deps.authorizeOperator(request);
    const given = Buffer.from(/^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(deps.adminToken);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new KlingError(1002, 'admin endpoints need Authorization: Bearer <admin token>');
    }
  };
  app.get('/admin/simulator/rules', async (request, reply) => {
    await requireAdmin(request);
    return reply.send(successEnvelope(request.id, await loadRules(deps.db)));
  });
  app.put('/admin/simulator/rules', { onRequest: (request) => requireAdmin(request) }, async (request, reply) => {
    const rules = validateRules(request.body);
    await saveRules(deps.db, rules);
    deps.onRulesChanged();
    return reply.send(successEnvelope(request.id, rules));
  });
}

/** Skips every remaining wait of the task and releases it if stuck; resolves when the task has ended. */
async function complete(deps: ControlDeps, task: TaskRow): Promise<TaskRow> {
  if (task.status === 'succeed' || task.status === 'failed') return task;
  const state = readSimulatedTask(task);
  delete state.stuck;
  await deps.store.update(task.id, { time_offset_ms: FOREVER_MS, engine_json: JSON.stringify(state) });
  return settle(deps, task.id, (t) => t.status === 'succeed' || t.status === 'failed');
}

/**
 * Makes the task's job due now and waits until the workers have dealt with it: the task ended, or its job is
 * waiting for a later time again, or it has no job left (parked).
 */
async function settle(deps: ControlDeps, taskId: string, done: (task: TaskRow) => boolean): Promise<TaskRow> {
  await deps.store.wakeTask(taskId);
  deps.wake();
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let wokenAgain = false;
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    const task = (await deps.store.byId(taskId))!;
    if (done(task) || task.status === 'succeed' || task.status === 'failed') return task;
    const job = await deps.store.pendingAdvance(taskId);
    if (!job) return task;
    if (job.run_at > Date.now() && job.locked_until === null) {
      // A run that read the task before this call changed it (more likely when a worker of another process holds
      // the job) puts the job off by the old clock, over the wake above. One more wake makes a run that reads the
      // task as changed: the task is settled once a run after the change put it off.
      if (wokenAgain) return task;
      wokenAgain = true;
      await deps.store.wakeTask(taskId);
      deps.wake();
    }
    if (Date.now() > deadline) throw new KlingError(5002, `task ${taskId} did not settle within ${SETTLE_TIMEOUT_MS / 1000} s`);
  }
}
