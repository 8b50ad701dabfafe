// openapi.json entries of the console endpoints (console.ts): kiln's own additions beside the Kling API. Each answers
// with the Kling envelope; tenant endpoints take the same credentials as the Kling API or a console session cookie,
// operator endpoints the admin token or an operator session.

import { CONSOLE_COOKIE, CONSOLE_CSRF_HEADER, CONSOLE_SESSION_HOURS, CONSOLE_TASK_PAGE, TEST_CALLBACK_INTERVAL_SECONDS, USAGE_DAYS, WEBHOOK_ROTATION_GRACE_DAYS } from './console.ts';

const envelope = (data: object) => ({
  type: 'object',
  required: ['code', 'message', 'request_id'],
  properties: { code: { type: 'integer' }, message: { type: 'string' }, request_id: { type: 'string' }, data },
});

const ok = (description: string, data: object = { type: 'object' }) => ({
  '200': { description, content: { 'application/json': { schema: envelope(data) } } },
  '400': { description: 'invalid parameters (1201, naming the field)', content: { 'application/json': { schema: envelope({}) } } },
  '401': { description: 'not signed in, or the credential is unknown or revoked (1001, 1002)', content: { 'application/json': { schema: envelope({}) } } },
});

const cookieNote = `Authenticated by \`Authorization: Bearer …\` or by the \`${CONSOLE_COOKIE}\` session cookie; with the cookie, ` +
  `requests that change data need the \`${CONSOLE_CSRF_HEADER}: 1\` header (CSRF protection).`;

const taskFilters = [
  { name: 'status', in: 'query', schema: { type: 'string', enum: ['submitted', 'processing', 'succeed', 'failed'] } },
  { name: 'family', in: 'query', schema: { type: 'string', description: 'a family name, e.g. text2video' } },
  { name: 'q', in: 'query', schema: { type: 'string', description: 'a task_id or external_task_id (exact), or the start of one' } },
  { name: 'page_size', in: 'query', schema: { type: 'integer', minimum: 1, maximum: CONSOLE_TASK_PAGE.max, default: CONSOLE_TASK_PAGE.default } },
  { name: 'before', in: 'query', schema: { type: 'string', description: 'next_before of the previous page' } },
];

const taskListDescription = 'Tasks of every family, newest first. Answers carry an ETag; a request with the same ' +
  '`If-None-Match` gets 304 while nothing listed changed, so a page can poll it cheaply.';

const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

export function consoleOpenApiPaths(): Record<string, object> {
  const tag = ['console'];
  const admin = ['console (operator)'];
  return {
    '/console/session': {
      post: {
        tags: tag,
        operationId: 'console_sign_in',
        summary: 'Sign in to the console',
        description: `Checks one credential and sets the \`${CONSOLE_COOKIE}\` cookie (HttpOnly, SameSite=Strict), valid ` +
          `${CONSOLE_SESSION_HOURS} hours or until signing out or the credential is revoked. Give \`api_key\`, or ` +
          '`access_key` and `secret_key`, or `admin_token` (the operator).',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { api_key: { type: 'string' }, access_key: { type: 'string' }, secret_key: { type: 'string' }, admin_token: { type: 'string' } },
              },
            },
          },
        },
        responses: ok('signed in', { type: 'object', properties: { role: { type: 'string' }, tenant: { type: ['object', 'null'] }, expires_at: { type: 'integer' } } }),
      },
      get: { tags: tag, operationId: 'console_session', summary: 'Who the session cookie signs in', responses: ok('the session') },
      delete: { tags: tag, operationId: 'console_sign_out', summary: 'Sign out: ends the session and clears the cookie', description: cookieNote, responses: ok('signed out') },
    },
    '/kiln/tasks': {
      get: { tags: tag, operationId: 'console_tasks', summary: "The caller's tasks across every family", description: `${taskListDescription}\n\n${cookieNote}`, parameters: taskFilters, responses: ok('a page of tasks') },
    },
    '/kiln/tasks/{id}': {
      get: {
        tags: tag, operationId: 'console_task', summary: 'One task: the request as sent, the Kling answer, the status timeline',
        description: cookieNote, parameters: [idParam('id')], responses: ok('the task'),
      },
    },
    '/kiln/tasks/{id}/callback-attempts': {
      get: {
        tags: tag, operationId: 'console_callback_attempts', summary: "Every delivery attempt of a task's callbacks, newest first",
        description: cookieNote, parameters: [idParam('id')], responses: ok('the attempts', { type: 'array' }),
      },
    },
    '/kiln/callback-attempts': {
      get: { tags: tag, operationId: 'console_recent_callback_attempts', summary: 'The latest 100 callback delivery attempts over every task, newest first', description: cookieNote, responses: ok('the attempts', { type: 'array' }) },
    },
    '/kiln/callback-attempts/{attempt_id}/replay': {
      post: {
        tags: tag, operationId: 'console_replay_callback', summary: 'Send an attempted callback again now, with the same webhook-id and body',
        description: `Queued at once; the new attempt appears in the task's callback attempts.\n\n${cookieNote}`,
        parameters: [idParam('attempt_id')], responses: ok('queued'),
      },
    },
    '/kiln/callbacks/test': {
      post: {
        tags: tag, operationId: 'console_test_callback',
        summary: 'Send a sample callback (a made-up submitted task) to a URL now and report what it answered',
        description: `At most one every ${TEST_CALLBACK_INTERVAL_SECONDS} s per tenant (1302 otherwise). Signed with the ` +
          `tenant's webhook secret like real callbacks.\n\n${cookieNote}`,
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['url'], properties: { url: { type: 'string' } } } } } },
        responses: ok('the attempt'),
      },
    },
    '/kiln/usage': {
      get: {
        tags: tag, operationId: 'console_usage', summary: 'Units charged per UTC day and per family and model',
        description: cookieNote,
        parameters: [{ name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: USAGE_DAYS.max, default: USAGE_DAYS.default } }],
        responses: ok('usage'),
      },
    },
    '/kiln/concurrency': {
      get: { tags: tag, operationId: 'console_concurrency', summary: 'Concurrency slots in use and the limit, per pack type', description: cookieNote, responses: ok('per pack type', { type: 'array' }) },
    },
    '/kiln/keys': {
      get: { tags: tag, operationId: 'console_keys', summary: "The caller's keys (names, types, access keys, when made, last used, revoked; never a secret)", description: cookieNote, responses: ok('the keys', { type: 'array' }) },
      post: {
        tags: tag, operationId: 'console_create_key', summary: 'Create a key: its API key or secret key is in this answer only', description: cookieNote,
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, type: { type: 'string', enum: ['api_key', 'access_key'] } } } } } },
        responses: ok('the new key'),
      },
    },
    '/kiln/keys/{name}': {
      delete: { tags: tag, operationId: 'console_revoke_key', summary: 'Revoke a key: requests and console sessions using it stop at once', description: cookieNote, parameters: [idParam('name')], responses: ok('the revoked key') },
    },
    '/kiln/webhook-secret/rotate': {
      post: {
        tags: tag, operationId: 'console_rotate_webhook_secret',
        summary: `Replace the webhook secret (the new one is in this answer only); the old one keeps signing callbacks, beside the new, for ${WEBHOOK_ROTATION_GRACE_DAYS} days`,
        description: cookieNote, responses: ok('the new secret and when the old one stops'),
      },
    },
    '/admin/tasks': {
      get: {
        tags: admin, operationId: 'admin_tasks', summary: "Every tenant's tasks, or one tenant's (tenant_id)", description: taskListDescription,
        parameters: [...taskFilters, { name: 'tenant_id', in: 'query', schema: { type: 'string' } }], responses: ok('a page of tasks'),
      },
    },
    '/admin/tasks/{id}': {
      get: { tags: admin, operationId: 'admin_task', summary: 'Any tenant\'s task, as GET /kiln/tasks/{id} shows it', parameters: [idParam('id')], responses: ok('the task') },
    },
    '/admin/tasks/{id}/callback-attempts': {
      get: { tags: admin, operationId: 'admin_callback_attempts', summary: "Any tenant's task's callback attempts", parameters: [idParam('id')], responses: ok('the attempts', { type: 'array' }) },
    },
    '/admin/system': {
      get: { tags: admin, operationId: 'admin_system', summary: 'The version, the processes, queue depths, task counts per engine and status, storage used (objects and bytes, counted at most a minute ago; null where the backend will not list) and the relay\'s upstreams', responses: ok('the system') },
    },
  };
}
