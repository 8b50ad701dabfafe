// The Fastify application: body parsing, envelope errors, the task API of every family, media and openapi.json.

import { randomUUID } from 'node:crypto';
import { ADMIN_TOKEN_SCHEME, buildOpenApi, consoleOpenApiPaths, families, MAX_PATH_SEGMENT_LENGTH, operatorOpenApiPaths } from '@kiln/contract';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ServerTimeouts } from '../config.ts';
import type { MediaFault } from '../engines/engine.ts';
import type { Tenant } from '../store/tenants.ts';
import type { Storage } from '../storage/storage.ts';
import type { UrlMaker } from '../tasks/serialize.ts';
import type { TaskService } from '../tasks/task-service.ts';
import { clientErrorHandler, installErrorHandling, onFrameworkError } from './error-handling.ts';
import { registerFamilyRoutes } from './family-routes.ts';
import { registerNewStandardRoutes } from './new-standard-routes.ts';
import { installJsonBody } from './json-body.ts';
import { installForwardedBase } from './forwarded.ts';
import { installCors } from './cors.ts';
import { registerMediaRoutes } from './media-routes.ts';
import { registerActionRoutes, servedActions, type ActionHandler } from './action-routes.ts';
import type { Logger } from '../metrics/logger.ts';
import { registerOperationsRoutes, type OperationsDeps } from './operations-routes.ts';
import { installRequestObserver, noteTenant } from './request-observer.ts';

export interface AppDeps {
  tasks: TaskService;
  urls: UrlMaker;
  storage: Storage;
  authenticate: (header: string | undefined) => Promise<Tenant>;
  /** The tenant of an Authorization header whose key is known already, synchronously; undefined otherwise. */
  keptTenant?: (header: string) => Tenant | undefined;
  /** The tenant a console session cookie signs in, for requests without an Authorization header (console-auth.ts). */
  sessionTenant?: (request: FastifyRequest) => Promise<Tenant | undefined>;
  /** How a task's result URLs misbehave, as the task's engine says (only the simulator makes faults). */
  mediaFault: (taskId: string) => Promise<MediaFault | undefined>;
  /** Media requests answered with a redirect to a presigned URL valid this long (S3 storage); streamed when absent. */
  mediaRedirectSeconds?: number;
  /** Handlers of the synchronous endpoints, by action name. */
  actionHandlers: Record<string, ActionHandler>;
  bodyLimitBytes: number;
  logger: Logger;
  /** Health, readiness and metrics (the metrics also count every request). */
  operations: OperationsDeps;
  /** Deadlines of the Node server; see ServerTimeouts. */
  timeouts: ServerTimeouts;
  /** KILN_TRUST_PROXY: which proxies' X-Forwarded-* headers to believe (config.ts); none when absent. */
  trustProxy?: boolean | string;
  /** Answer each request with URLs on the base it came in through (forwarded.ts): trusted proxy, no KILN_PUBLIC_URL. */
  forwardedUrls?: boolean;
  /** Web origins that may call kiln from a browser (see cors.ts); none when absent. */
  corsOrigins?: readonly string[];
  /**
   * False in a worker-only process (`kiln serve --role worker`): it answers health, readiness and metrics only, and
   * the Kling API, media and openapi.json are served by the API processes. Served when not set.
   */
  serveApi?: boolean;
}


export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    genReqId: () => randomUUID(),
    bodyLimit: deps.bodyLimitBytes,
    // Fastify's two request lines and its per-request child logger cost more than serving a task query: they are
    // off, and request-observer.ts writes one line per request with chosen fields (never headers: credentials).
    // Errors are logged where they happen, with the request id.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (logger) => logger,
    // Seen by the routes as Fastify's base logger type, so they stay typed as a plain FastifyInstance.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // During shutdown requests are still answered (with the envelope) rather than with Fastify's bare 503.
    return503OnClosing: false,
    routerOptions: {
      // Kling's own client queries try-on tasks at `/v1/images/kolors-virtual-try-on//{task_id}`.
      ignoreDuplicateSlashes: true,
      // The longest id a path can carry is an external_task_id; Fastify's default of 100 would refuse longer ones.
      maxParamLength: MAX_PATH_SEGMENT_LENGTH,
    },
    // Answers Fastify and Node give by themselves (bad URL, over-long id, header overflow, timeouts) are envelopes.
    frameworkErrors: onFrameworkError,
    clientErrorHandler: clientErrorHandler(deps.timeouts),
    requestTimeout: deps.timeouts.requestMs,
    keepAliveTimeout: deps.timeouts.keepAliveMs,
    http: { connectionsCheckingInterval: deps.timeouts.checkIntervalMs },
    trustProxy: deps.trustProxy ?? false,
  });
  app.server.headersTimeout = deps.timeouts.headersMs;
  installCors(app, deps.corsOrigins ?? []);
  installJsonBody(app);
  installErrorHandling(app, deps.bodyLimitBytes);
  installRequestObserver(app, deps.operations.metrics, deps.logger);
  if (deps.forwardedUrls) installForwardedBase(app);
  const authenticateFully = async (request: FastifyRequest, header: string | undefined) => {
    // A console cookie counts only without an Authorization header: API clients skip the session lookup.
    const tenant = (header === undefined ? await deps.sessionTenant?.(request) : undefined) ?? (await deps.authenticate(header));
    noteTenant(request, tenant.id);
    return tenant;
  };
  // A key already seen answers at once, without a promise (most requests are polls by a known key).
  const authenticate = (request: FastifyRequest): Tenant | Promise<Tenant> => {
    const header = request.headers.authorization;
    const kept = header === undefined ? undefined : deps.keptTenant?.(header);
    if (!kept) return authenticateFully(request, header);
    noteTenant(request, kept.id);
    return kept;
  };

  if (deps.serveApi === false) {
    registerOperationsRoutes(app, deps.operations);
    return app;
  }
  registerFamilyRoutes(app, {
    tasks: deps.tasks,
    urls: deps.urls,
    authenticate,
  });
  registerNewStandardRoutes(app, { tasks: deps.tasks, urls: deps.urls, authenticate });
  registerActionRoutes(app, {
    handlers: deps.actionHandlers,
    authenticate,
  });
  registerMediaRoutes(app, deps.storage, deps.mediaFault, { redirectSeconds: deps.mediaRedirectSeconds });

  const document = buildOpenApi(families, servedActions(deps.actionHandlers));
  // The console's endpoints (kiln's own, registered by console-routes.ts) are documented beside the Kling API.
  const openapi = JSON.stringify(withOperatorPaths({ ...document, paths: { ...document.paths, ...consoleOpenApiPaths() } }));
  app.get('/openapi.json', async (_request, reply) => reply.type('application/json').send(openapi));
  app.get('/health', async () => ({ status: 'ok' }));
  registerOperationsRoutes(app, deps.operations);
  return app;
}

/** The Kling API's document with kiln's operator, simulator and health endpoints beside it. */
function withOperatorPaths(doc: ReturnType<typeof buildOpenApi>) {
  return {
    ...doc,
    components: { ...doc.components, securitySchemes: { ...doc.components.securitySchemes, adminToken: ADMIN_TOKEN_SCHEME } },
    paths: { ...doc.paths, ...operatorOpenApiPaths() },
  };
}
