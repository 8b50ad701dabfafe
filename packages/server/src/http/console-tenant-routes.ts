// The console's tenant endpoints (kiln's own, beside the Kling API; documented in openapi.json by the contract's
// console-openapi.ts). Every one is scoped to the caller's tenant: another tenant's task or attempt is not found.
//   GET  /kiln/tasks                                  tasks of every family, newest first, filtered; ETag / 304
//   GET  /kiln/tasks/{id}                             request, Kling answer, timeline
//   GET  /kiln/tasks/{id}/callback-attempts           delivery attempts, newest first
//   GET  /kiln/callback-attempts                      the latest attempts over every task
//   POST /kiln/callback-attempts/{attempt_id}/replay  send that event again now (same webhook-id and body)
//   POST /kiln/callbacks/test                         send a sample callback now (rate-limited)
//   GET  /kiln/usage?days=                            units per day and family/model
//   GET  /kiln/concurrency                            slots in use vs limit per pack type

import { KlingError, successEnvelope, taskNotFound, TEST_CALLBACK_INTERVAL_SECONDS, USAGE_DAYS, type ConcurrencyUse, type PackType, type TaskObject } from '@kiln/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { callbackPayload, sendOnce } from '../callbacks/callback-jobs.ts';
import type { CallbackPolicy } from '../config.ts';
import { callbackAttemptById, callbackAttemptsOf, lastTestCallbackAt, recentCallbackAttempts, recordCallbackAttempt } from '../store/callback-attempts.ts';
import { consoleTaskById } from '../store/console-tasks.ts';
import { unitsPerDay } from '../store/console-usage.ts';
import { slotsHeld } from '../store/slots.ts';
import { enqueueCallback } from '../store/jobs.ts';
import type { Db } from '../store/open.ts';
import { packLimit, type Tenant } from '../store/tenants.ts';
import { signingSecrets } from '../store/webhook-secrets.ts';
import { assertCallbackTargetAllowed } from '../tasks/callback-target.ts';
import type { UrlMaker } from '../tasks/serialize.ts';
import { answerTaskPage, taskFilterOf } from './console-task-query.ts';
import { taskDetail } from './console-view.ts';

export interface ConsoleTenantDeps {
  db: Db;
  urls: UrlMaker;
  authenticate: (request: FastifyRequest) => Promise<Tenant>;
  /** Wakes the workers: a replay is delivered at once. */
  wake: () => void;
  callbacks: CallbackPolicy;
  allowPrivateUrls: boolean;
}

const PACKS: PackType[] = ['video', 'image', 'try-on'];
/** How many attempts the callbacks page lists. */
const RECENT_ATTEMPTS = 100;

export function registerConsoleTenantRoutes(app: FastifyInstance, deps: ConsoleTenantDeps): void {
  const { db } = deps;
  const ok = (request: FastifyRequest, data: unknown) => successEnvelope(request.id, data);

  app.get('/kiln/tasks', async (request, reply) => {
    const tenant = await deps.authenticate(request);
    const filter = taskFilterOf(request.query as Record<string, unknown>, tenant.id);
    return answerTaskPage(db, filter, request, reply, (page) => ok(request, page));
  });

  app.get<{ Params: { id: string } }>('/kiln/tasks/:id', async (request, reply) => {
    const tenant = await deps.authenticate(request);
    const task = await consoleTaskById(db, tenant.id, request.params.id);
    if (!task) throw taskNotFound(request.params.id);
    return reply.send(ok(request, taskDetail(task, deps.urls)));
  });

  app.get<{ Params: { id: string } }>('/kiln/tasks/:id/callback-attempts', async (request, reply) => {
    const tenant = await deps.authenticate(request);
    if (!(await consoleTaskById(db, tenant.id, request.params.id))) throw taskNotFound(request.params.id);
    return reply.send(ok(request, await callbackAttemptsOf(db, tenant.id, request.params.id)));
  });

  app.get('/kiln/callback-attempts', async (request, reply) => {
    const tenant = await deps.authenticate(request);
    return reply.send(ok(request, await recentCallbackAttempts(db, tenant.id, RECENT_ATTEMPTS)));
  });

  app.post<{ Params: { attempt_id: string } }>('/kiln/callback-attempts/:attempt_id/replay', { config: { emptyBodyIsObject: true } }, async (request, reply) => {
    const tenant = await deps.authenticate(request);
    const id = Number(request.params.attempt_id);
    const attempt = Number.isSafeInteger(id) && id > 0 ? await callbackAttemptById(db, tenant.id, id) : undefined;
    if (!attempt) throw new KlingError(1203, `callback attempt ${request.params.attempt_id} not found`);
    if (attempt.trigger === 'test') throw new KlingError(1201, 'a test callback cannot be replayed: send another test instead');
    // Through the queue like the event itself: the same signing, ordering behind the task's pending events, and the
    // new attempt recorded by the worker that sends it.
    const payload = { url: attempt.url, eventId: attempt.event_id, body: attempt.body, trigger: 'replay' as const };
    await enqueueCallback(db, { taskId: attempt.task_id, tenantId: tenant.id, payloadJson: JSON.stringify(payload), now: Date.now() });
    deps.wake();
    return reply.send(ok(request, { queued: true, task_id: attempt.task_id, event_id: attempt.event_id }));
  });

  app.post('/kiln/callbacks/test', async (request, reply) => {
    const tenant = await deps.authenticate(request);
    const url = (request.body as { url?: unknown } | null)?.url;
    if (typeof url !== 'string' || !/^https?:\/\/\S+$/i.test(url) || !URL.canParse(url)) {
      throw new KlingError(1201, 'url must be an http:// or https:// URL');
    }
    assertCallbackTargetAllowed(url, deps.allowPrivateUrls);
    const last = await lastTestCallbackAt(db, tenant.id);
    const wait = last === null ? 0 : last + TEST_CALLBACK_INTERVAL_SECONDS * 1000 - Date.now();
    if (wait > 0) throw new KlingError(1302, `test callbacks are limited to one every ${TEST_CALLBACK_INTERVAL_SECONDS} s: try again in ${Math.ceil(wait / 1000)} s`);
    // Each test is an event of its own (its own webhook-id), so a receiver that de-duplicates still sees every one.
    const payload = { ...callbackPayload(url, sampleTask()), eventId: `msg_test_${Date.now()}` };
    const report = await sendOnce(payload, await signingSecrets(db, tenant.id), deps.callbacks.timeoutMs, deps.allowPrivateUrls);
    const attempt = {
      tenant_id: tenant.id, task_id: 'test', event_id: report.payload.eventId, trigger: 'test' as const, url,
      attempted_at: report.attemptedAt, latency_ms: report.latencyMs, http_status: report.httpStatus, error: report.error,
      signature: report.signature, body: report.payload.body,
    };
    await recordCallbackAttempt(db, attempt);
    return reply.send(ok(request, attempt));
  });

  app.get('/kiln/usage', async (request, reply) => {
    const tenant = await deps.authenticate(request);
    const raw = (request.query as Record<string, unknown>).days;
    const days = raw === undefined || raw === '' ? USAGE_DAYS.default : Number(raw);
    if (!Number.isInteger(days) || days < 1 || days > USAGE_DAYS.max) throw new KlingError(1201, `days must be an integer from 1 to ${USAGE_DAYS.max}`);
    return reply.send(ok(request, await unitsPerDay(db, tenant.id, days)));
  });

  app.get('/kiln/concurrency', async (request, reply) => {
    const tenant = await deps.authenticate(request);
    const used = await slotsHeld(db, tenant.id);
    const answer: ConcurrencyUse[] = PACKS.map((pack) => ({ pack, used: used[pack] ?? 0, limit: packLimit(tenant, pack) }));
    return reply.send(ok(request, answer));
  });
}

/** The made-up task a test callback carries, shaped like every real callback body; `submitted`, as Kling's test is. */
function sampleTask(): TaskObject {
  const now = Date.now();
  return {
    task_id: 'test',
    task_status: 'submitted',
    task_status_msg: 'test callback sent from the kiln console',
    task_info: { external_task_id: null },
    task_result: {},
    watermark_info: { enabled: false },
    created_at: now,
    updated_at: now,
  };
}
