// The console: its sign-in endpoints, its tenant and operator endpoints and its static files, registered together.
//   POST   /console/session   sign in (api_key | access_key + secret_key | admin_token) → session cookie
//   GET    /console/session   who is signed in
//   DELETE /console/session   sign out
//   GET    /admin/tasks[/{id}[/callback-attempts]], GET /admin/system   the operator's views

import { CONSOLE_COOKIE, CONSOLE_CSRF_HEADER, CONSOLE_SESSION_MS, KlingError, PACK_TYPES, successEnvelope, taskNotFound } from '@kiln/contract';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { healthView } from '../engines/relay/breaker.ts';
import { effectiveLimits } from '../engines/relay/pool-limit.ts';
import type { UpstreamConfig } from '../engines/relay/upstream.ts';
import type { MeasuredUsage } from '../storage/cached-usage.ts';
import { callbackAttemptsOf } from '../store/callback-attempts.ts';
import { consoleTaskById, taskCounts } from '../store/console-tasks.ts';
import { parseLeaseOwner, queueStats } from '../store/jobs.ts';
import { relayOutcomes, relayPoolUse } from '../store/relay-pool.ts';
import { WORKER_STALE_MS, workerNumbers } from '../store/workers.ts';
import { listTenants } from '../store/tenants.ts';
import { cookieOf, setSessionCookie, type ConsoleAuth } from './console-auth.ts';
import { registerConsoleKeyRoutes } from './console-key-routes.ts';
import { registerConsoleStatic } from './console-static.ts';
import { answerTaskPage, taskFilterOf } from './console-task-query.ts';
import { registerConsoleTenantRoutes, type ConsoleTenantDeps } from './console-tenant-routes.ts';
import { taskDetail } from './console-view.ts';

export interface ConsoleDeps extends Omit<ConsoleTenantDeps, 'authenticate'> {
  auth: ConsoleAuth;
  /** The dashboard's built files; the repository's packages/dashboard/dist when absent. */
  staticDir?: string;
  /** The upstream Kling accounts the relay sends tasks to, as the registry has them now (shown without credentials). */
  upstreams: () => Promise<Array<Pick<UpstreamConfig, 'name' | 'baseUrl' | 'pathStyle' | 'priority' | 'concurrency' | 'lowered' | 'health'>>>;
  /**
   * Where media is kept and how much it holds (a count a minute old at most: see storage/cached-usage.ts); with a
   * bucket, the data directory's working copies and the synchronous calls' media apart (`local`).
   */
  storageUsage: () => Promise<MeasuredUsage & { backend: 'local' | 's3'; local?: MeasuredUsage }>;
}

/** The server package's version, shown on the operator's system page. */
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export function registerConsole(app: FastifyInstance, deps: ConsoleDeps): void {
  const { auth, db } = deps;
  const ok = (request: FastifyRequest, data: unknown) => successEnvelope(request.id, data);
  const startedAt = Date.now();

  app.post('/console/session', async (request, reply) => {
    const { token, info } = await auth.signIn(request.body);
    setSessionCookie(request, reply, token, Math.floor(CONSOLE_SESSION_MS / 1000));
    return reply.send(ok(request, info));
  });

  app.get('/console/session', async (request, reply) => {
    if (!cookieOf(request, CONSOLE_COOKIE)) throw new KlingError(1001, 'not signed in to the console');
    const session = await auth.session(request);
    const principal = session!.principal;
    const tenant = principal.role === 'tenant' ? { id: principal.tenant.id, name: principal.tenant.name } : null;
    return reply.send(ok(request, { role: principal.role, tenant, expires_at: session!.row.expires_at }));
  });

  app.delete('/console/session', { config: { emptyBodyIsObject: true } }, async (request, reply) => {
    // Signing out needs the CSRF header like any change, but an ended session signs out quietly.
    if (cookieOf(request, CONSOLE_COOKIE) && request.headers[CONSOLE_CSRF_HEADER] === undefined) {
      throw new KlingError(1103, `signing out with the console cookie needs the ${CONSOLE_CSRF_HEADER} header (CSRF protection)`);
    }
    await auth.signOut(request);
    setSessionCookie(request, reply, null, 0);
    return reply.send(ok(request, { signed_out: true }));
  });

  registerConsoleTenantRoutes(app, { ...deps, authenticate: (request) => auth.tenantOf(request) });
  registerConsoleKeyRoutes(app, db, (request) => auth.tenantOf(request));

  app.get('/admin/tasks', async (request, reply) => {
    await auth.requireOperator(request);
    const query = request.query as Record<string, unknown>;
    const tenantId = query.tenant_id;
    if (tenantId !== undefined && (typeof tenantId !== 'string' || tenantId.length > 200)) throw new KlingError(1201, 'tenant_id must be a tenant id');
    const filter = taskFilterOf(query, (tenantId as string | undefined) || null);
    return answerTaskPage(db, filter, request, reply, (page) => ok(request, page));
  });

  app.get<{ Params: { id: string } }>('/admin/tasks/:id', async (request, reply) => {
    await auth.requireOperator(request);
    const task = await consoleTaskById(db, null, request.params.id);
    if (!task) throw taskNotFound(request.params.id);
    return reply.send(ok(request, taskDetail(task, deps.urls)));
  });

  app.get<{ Params: { id: string } }>('/admin/tasks/:id/callback-attempts', async (request, reply) => {
    await auth.requireOperator(request);
    if (!(await consoleTaskById(db, null, request.params.id))) throw taskNotFound(request.params.id);
    return reply.send(ok(request, await callbackAttemptsOf(db, null, request.params.id)));
  });

  app.get('/admin/system', async (request, reply) => {
    await auth.requireOperator(request);
    const memory = process.memoryUsage();
    return reply.send(ok(request, {
      version: VERSION,
      node: process.version,
      pid: process.pid,
      started_at: startedAt,
      uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
      memory_rss_bytes: memory.rss,
      queues: await queueStats(db),
      tasks: await taskCounts(db),
      upstreams: await Promise.all((await deps.upstreams()).map(async (u) => {
        // Slots per pack type: those held by tasks that may be upstream, and those wanted by tasks waiting their turn.
        const slots = Object.fromEntries(await Promise.all(PACK_TYPES.map(async (pack) => [pack, await relayPoolUse(db, u.name, pack)] as const)));
        const lastHour = await relayOutcomes(db, u.name, Date.now() - 3_600_000);
        return {
          name: u.name, base_url: u.baseUrl, path_style: u.pathStyle, priority: u.priority ?? 0, concurrency: u.concurrency ?? {},
          concurrency_now: effectiveLimits(u.concurrency ?? {}, u.lowered ?? {}, Date.now()), slots, last_hour: lastHour,
          health: healthView(u.health, Date.now()),
        };
      })),
      tenants: (await listTenants(db)).length,
      storage: await deps.storageUsage(),
      // Every live process on this store (API and workers alike hold a worker number, renewed by a heartbeat).
      processes: (await workerNumbers(db)).filter((w) => w.heartbeat_at >= Date.now() - WORKER_STALE_MS).map((w) => {
        const { host, pid } = parseLeaseOwner(w.owner);
        return { number: w.number, host, pid, heartbeat_at: w.heartbeat_at, this: host === hostname() && pid === process.pid };
      }),
    }));
  });

  registerConsoleStatic(app, deps.staticDir);
}
