// The synchronous endpoints the contract defines as actions (account, presets, deletes, editing sessions ...),
// validated by the contract and answered by the handler of the same name. Actions without a handler yet are not
// served: they answer 1202 like any unknown endpoint rather than pretend.

import { actions, successEnvelope, validateAction, type AnyAction } from '@kiln/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Tenant } from '../store/tenants.ts';

export type ActionHandler = (tenant: Tenant, input: any) => Promise<unknown>;

export interface ActionRouteDeps {
  handlers: Record<string, ActionHandler>;
  authenticate: (request: FastifyRequest) => Promise<Tenant>;
}

/** Reseller prefixes apply to `/v1/...` paths, as for task families. */
function pathsOf(action: AnyAction): string[] {
  if (!action.path.startsWith('/v1/')) return [action.path];
  const suffix = action.path.slice(3);
  return ['/v1', '/kling/v1', '/v1/ai/:endpoint/kling'].map((prefix) => prefix + suffix);
}

export function registerActionRoutes(app: FastifyInstance, deps: ActionRouteDeps): void {
  for (const action of actions) {
    const handler = deps.handlers[action.name];
    if (!handler) continue;
    for (const url of pathsOf(action)) {
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
