// The new-standard API (spec new-standard.md): `POST /{product}/{model}` for each endpoint of the contract,
// `GET /tasks` (by ids) and `POST /tasks` (cursor), each also under the reseller prefixes (`/kling/...`,
// `/v1/ai/{endpoint}/kling/videos/...`). Tasks are the same kiln tasks as legacy ones; these routes answer in the new
// standard's shape. The new standard takes API keys only: an AK/SK JWT is refused as live Kling refuses it.

import {
  AKSK_NOT_SUPPORTED, encodeCursor, KlingError, LEGACY_STATUS, modelNotSupported, NEW_STANDARD_PRODUCTS, newStandardEndpoints,
  newStandardServedPaths, PACK_OF_PRODUCT, parseCursorQuery, parseTaskIdsQuery, successEnvelope, type NewStandardStatus, type ProductType,
} from '@kiln/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Tenant } from '../store/tenants.ts';
import { toNewStandardCreated, toNewStandardTask } from '../tasks/serialize-new-standard.ts';
import type { UrlMaker } from '../tasks/serialize.ts';
import type { TaskService } from '../tasks/task-service.ts';

export interface NewStandardRouteDeps {
  tasks: TaskService;
  urls: UrlMaker;
  authenticate: (request: FastifyRequest) => Tenant | Promise<Tenant>;
}

export function registerNewStandardRoutes(app: FastifyInstance, deps: NewStandardRouteDeps): void {
  if (!app.hasRequestDecorator('tenant')) app.decorateRequest('tenant', undefined);
  const { tasks, urls } = deps;
  // The vendor tells a JWT from an API key by its shape (§1.4): a three-part token is AK/SK, refused here before any
  // lookup; anything else is looked up as an API key.
  const authenticate = async (request: FastifyRequest) => {
    const token = /^Bearer\s+(\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token && token.split('.').length === 3) throw new KlingError(1002, AKSK_NOT_SUPPORTED);
    request.tenant = await deps.authenticate(request);
  };

  for (const endpoint of newStandardEndpoints) {
    for (const modelId of [endpoint.modelId, ...endpoint.aliases]) {
      for (const url of newStandardServedPaths(`/${endpoint.product}/${modelId}`)) {
        app.post(url, { onRequest: authenticate }, async (request, reply) => {
          const task = await tasks.create(request.tenant!, endpoint, request.body, request.headers);
          return reply.send(successEnvelope(request.id, toNewStandardCreated(task)));
        });
      }
    }
  }
  // A known product with a model it does not have: HTTP 400 "model is not supported", as observed live (§1.3).
  for (const product of NEW_STANDARD_PRODUCTS) {
    for (const url of newStandardServedPaths(`/${product}/:model`)) {
      app.post<{ Params: { model: string } }>(url, { onRequest: authenticate }, async (request) => {
        throw new KlingError(1201, modelNotSupported(product, request.params.model));
      });
    }
  }

  for (const url of newStandardServedPaths('/tasks')) {
    app.get<{ Querystring: Record<string, string | string[]> }>(url, { onRequest: authenticate }, async (request, reply) => {
      const { by, ids } = parseTaskIdsQuery(request.query);
      const rows = await tasks.findMany(request.tenant!, by, ids);
      return reply.send(successEnvelope(request.id, rows.map((row) => toNewStandardTask(row, urls))));
    });

    app.post(url, { onRequest: authenticate }, async (request, reply) => {
      const query = parseCursorQuery(request.body, Date.now());
      const rows = await tasks.page(request.tenant!, {
        startTime: query.startTime,
        endTime: query.endTime,
        // One more than asked tells whether another page follows.
        limit: query.limit + 1,
        statuses: query.statuses?.map((s) => LEGACY_STATUS[s as NewStandardStatus]),
        packs: query.productTypes?.map((p) => PACK_OF_PRODUCT[p as ProductType]),
        after: query.after,
      });
      const page = rows.slice(0, query.limit);
      const hasMore = rows.length > query.limit;
      // An empty page is `{count: 0, has_more: false}`, without `result` or `next_cursor`, as live Kling answers (§5.2).
      if (page.length === 0) return reply.send(successEnvelope(request.id, { count: 0, has_more: false }));
      const last = page[page.length - 1];
      const next = hasMore ? encodeCursor({ createdAt: last.created_at, id: last.id, startTime: query.startTime, endTime: query.endTime }) : '';
      return reply.send(successEnvelope(request.id, {
        result: page.map((row) => toNewStandardTask(row, urls)),
        count: page.length,
        next_cursor: next,
        has_more: hasMore,
      }));
    });
  }
}
