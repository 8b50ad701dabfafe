// The synchronous endpoints the contract defines as actions (account, presets, deletes, editing sessions ...),
// validated by the contract and answered by the handler of the same name. Actions without a handler yet are not
// served: they answer 1202 like any unknown endpoint rather than pretend.

import { actions, servedPaths, successEnvelope, validateAction } from '@kiln/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Tenant } from '../store/tenants.ts';

export type ActionHandler = (tenant: Tenant, input: any) => Promise<unknown>;

export interface ActionRouteDeps {
  handlers: Record<string, ActionHandler>;
  authenticate: (request: FastifyRequest) => Tenant | Promise<Tenant>;
}

export function registerActionRoutes(app: FastifyInstance, deps: ActionRouteDeps): void {
  for (const action of actions) {
    const handler = deps.handlers[action.name];
    if (!handler) continue;
    // Reseller prefixes apply to `/v1/...` paths, as for task families.
    for (const url of servedPaths(action.path)) {
      app.route({
        method: action.method,
        url,
        handler: async (request, reply) => {
          const tenant = await deps.authenticate(request);
          const input = validateAction(action, action.method === 'GET' ? request.query : request.body);
          return reply.send(successEnvelope(request.id, await handler(tenant, input)));
        },
      });
    }
  }
}

/** The actions kiln serves, for openapi.json and the docs. */
export const servedActions = (handlers: Record<string, ActionHandler>) => actions.filter((a) => handlers[a.name]);
