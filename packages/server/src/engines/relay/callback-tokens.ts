// The callback URL kiln gives an upstream task: `<public url>/relay/callbacks/<task id>.<mac>`, unguessable without
// the server's secret, so only the upstream that was given it (or whoever it leaks to) can reach that task's hook.
// A callback is only a hint: it makes the relay ask the upstream about the task now, with its own credentials, and
// acts on that answer alone; so a forged, replayed or stale callback changes nothing but the timing of a query.

import { createHmac, timingSafeEqual } from 'node:crypto';

export const RELAY_CALLBACK_PATH = '/relay/callbacks';

function mac(secret: string, taskId: string): string {
  return createHmac('sha256', secret).update(`relay-callback:${taskId}`).digest('base64url').slice(0, 32);
}

export function callbackToken(secret: string, taskId: string): string {
  return `${taskId}.${mac(secret, taskId)}`;
}

/** The task id a token was made for, or undefined when the token was not made with this secret. */
export function taskOfCallbackToken(secret: string, token: string): string | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const taskId = token.slice(0, dot);
  const expected = Buffer.from(mac(secret, taskId));
  const given = Buffer.from(token.slice(dot + 1));
  return expected.length === given.length && timingSafeEqual(expected, given) ? taskId : undefined;
}
