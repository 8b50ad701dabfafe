// The task endpoints of every family, generated from the contract: create, query by id or external id, list.
// Each is served under the official prefix and the two reseller styles (spec/providers.md):
//   /v1/videos/omni-video   /kling/v1/videos/omni-video   /v1/ai/{endpoint}/kling/videos/omni-video

import { errorEnvelope, families, parsePage, servedPaths, successEnvelope, type AnyFamily } from '@kiln/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '../store/tenants.ts';
import { toCreatedTask, toTaskObject, type UrlMaker } from '../tasks/serialize.ts';
import type { TaskService } from '../tasks/task-service.ts';

export interface FamilyRouteDeps {
  tasks: TaskService;
  urls: UrlMaker;
  authenticate: (request: FastifyRequest) => Tenant | Promise<Tenant>;
}

export function registerFamilyRoutes(app: FastifyInstance, deps: FamilyRouteDeps): void {
  // Declared up front so every request object keeps one shape (adding it later would slow Fastify down).
  if (!app.hasRequestDecorator('tenant')) app.decorateRequest('tenant', undefined);
  for (const family of families) {
    for (const url of servedPaths(family.path)) registerFamily(app, url, family, deps);
  }
}

function registerFamily(app: FastifyInstance, collection: string, family: AnyFamily, deps: FamilyRouteDeps): void {
  const { tasks, urls } = deps;
  // Authentication runs before the body is read, as Kling's gateway does: no credentials, no parsing.
  const onRequest = async (request: FastifyRequest) => {
    request.tenant = await deps.authenticate(request);
  };

  app.post(collection, { onRequest }, async (request, reply) => {
    const task = await tasks.create(request.tenant!, family, request.body, request.headers);
    return ok(request, reply, toCreatedTask(task));
  });

  // Reads have no body to protect, so they authenticate in the handler and skip a hook round.
  app.get<{ Querystring: Record<string, string> }>(collection, async (request, reply) => {
    request.tenant = await deps.authenticate(request);
    const externalId = request.query.external_task_id;
    if (externalId !== undefined) {
      const task = await tasks.getByExternalId(request.tenant!, family, String(externalId));
      return ok(request, reply, toTaskObject(task, urls));
    }
    // A family may page further than tasks do (custom voices: pageSize up to 1000).
    const { pageNum, pageSize } = parsePage(request.query, family.pageBounds);
    const rows = await tasks.list(request.tenant!, family, pageNum, pageSize);
    return ok(request, reply, rows.map((row) => toTaskObject(row, urls)));
  });

  app.get<{ Params: { id: string } }>(`${collection}/:id`, async (request, reply) => {
    request.tenant = await deps.authenticate(request);
    const task = await tasks.get(request.tenant!, family, request.params.id);
    return ok(request, reply, toTaskObject(task, urls));
  });

  // Other methods on these paths are Kling's 1202 (requested method invalid), not a bare 404.
  for (const url of [collection, `${collection}/:id`]) {
    app.route({
      method: ['PUT', 'DELETE', 'PATCH'],
      url,
      handler: async (request, reply) => {
        reply.code(404).send(errorEnvelope(request.id, 1202, `method ${request.method} is not supported on ${request.url.split('?')[0]}`));
      },
    });
  }
}

function ok(request: FastifyRequest, reply: FastifyReply, data: unknown) {
  return reply.send(successEnvelope(request.id, data));
}

declare module 'fastify' {
  interface FastifyRequest {
    tenant?: Tenant;
  }
}
