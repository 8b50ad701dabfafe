// Where upstream tasks call back: POST /relay/callbacks/<token>. A valid token makes the task's next step run now
// (it asks the upstream where the task stands); anything else is a 404 in Kling's envelope. The body is never read
// for its content: what the upstream says in it is confirmed by the relay's own query, or not at all.

import { errorEnvelope, successEnvelope } from '@kiln/contract';
import type { FastifyInstance } from 'fastify';
import { RELAY_CALLBACK_PATH, taskOfCallbackToken } from './callback-tokens.ts';

export interface RelayCallbackDeps {
  secret: string;
  /** Makes the task's advance job due now. */
  wakeTask: (taskId: string) => Promise<void>;
}

export function registerRelayCallbacks(app: FastifyInstance, deps: RelayCallbackDeps): void {
  app.post<{ Params: { token: string } }>(`${RELAY_CALLBACK_PATH}/:token`, { config: { emptyBodyIsObject: true } }, async (request, reply) => {
    const taskId = taskOfCallbackToken(deps.secret, request.params.token);
    if (!taskId) return reply.code(404).send(errorEnvelope(request.id, 1202, 'no such callback'));
    await deps.wakeTask(taskId);
    return reply.send(successEnvelope(request.id, {}));
  });
}
