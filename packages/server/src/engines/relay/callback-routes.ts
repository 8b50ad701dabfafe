// Where upstream tasks call back: POST /relay/callbacks/<token>. A valid token makes the task's next step run now
// (it asks the upstream where the task stands); anything else is a 404 in Kling's envelope. The body is never read
// for its content: what the upstream says in it is confirmed by the relay's own query, or not at all.
//
// When the task's upstream has a webhook secret (`kiln upstream add … --webhook-secret whsec_…`), a callback must
// also carry a valid Standard Webhooks signature of its body (webhook-id, webhook-timestamp within five minutes,
// webhook-signature), as Kling signs them (spec §1.9); one that does not is refused with 401 and wakes nothing.

import { errorEnvelope, successEnvelope, verifyWebhookSignature } from '@kiln/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RELAY_CALLBACK_PATH, taskOfCallbackToken } from './callback-tokens.ts';

export interface RelayCallbackDeps {
  secret: string;
  /** Makes the task's advance job due now. */
  wakeTask: (taskId: string) => Promise<void>;
  /** The webhook secret of the upstream the task was sent to, when it has one. */
  webhookSecretOf: (taskId: string) => Promise<string | undefined>;
}

export function registerRelayCallbacks(app: FastifyInstance, deps: RelayCallbackDeps): void {
  // The signature covers the body exactly as sent: this route reads it as text, whatever its content type.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { token: string }; Body: string | undefined }>(`${RELAY_CALLBACK_PATH}/:token`, async (request, reply) => {
      const taskId = taskOfCallbackToken(deps.secret, request.params.token);
      if (!taskId) return reply.code(404).send(errorEnvelope(request.id, 1202, 'no such callback'));
      const webhookSecret = await deps.webhookSecretOf(taskId);
      if (webhookSecret && !(await signedBy(webhookSecret, request))) {
        return reply.code(401).send(errorEnvelope(request.id, 1002, 'callback signature missing or invalid: webhook-id, webhook-timestamp and webhook-signature must verify with the upstream\'s webhook secret'));
      }
      await deps.wakeTask(taskId);
      return reply.send(successEnvelope(request.id, {}));
    });
  });
}

async function signedBy(secret: string, request: FastifyRequest<{ Body: string | undefined }>): Promise<boolean> {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signature = header('webhook-signature');
  if (!id || !timestamp || !signature) return false;
  return verifyWebhookSignature(secret, { id, timestamp, signature }, request.body ?? '');
}
