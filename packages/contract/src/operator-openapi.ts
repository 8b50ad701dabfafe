// openapi.json entries of what kiln serves beside the Kling API for operators and test suites: tenant, key and pack
// management (operator.ts), the simulator's controls and fault rules, and the health, readiness and metrics
// endpoints. The /admin endpoints take the admin token; they answer with the Kling envelope.

import {
  CONCURRENCY_LIMITS, ENGINE_NAMES, KeyCreateSchema, PackCreateSchema, SimulatorSettingsSchema, TenantCreateSchema,
  TenantUpdateSchema, TIMING_PROFILES,
} from './operator.ts';
import { openApiSchema } from './openapi.ts';
import { UPSTREAM_HEALTH_STATES, UPSTREAM_PATH_STYLES, UPSTREAM_RESULT_MODES, UpstreamCreateSchema, UpstreamUpdateSchema } from './upstreams.ts';

const envelope = (data: object) => ({
  type: 'object',
  required: ['code', 'message', 'request_id'],
  properties: { code: { type: 'integer' }, message: { type: 'string' }, request_id: { type: 'string' }, data },
});

const json = (schema: object) => ({ 'application/json': { schema } });
const failures = {
  '400': { description: 'invalid parameters: 1200 (not a JSON object), 1201 naming the field', content: json(envelope({})) },
  '401': { description: '1001 no Authorization header, 1002 a wrong token', content: json(envelope({})) },
  '404': { description: '1203 no tenant, key, upstream or task of that name or id', content: json(envelope({})) },
};
const answer = (description: string, data: object = { type: 'object' }) => ({ '200': { description, content: json(envelope(data)) }, ...failures });
const body = (schema: unknown) => ({ required: true, content: json(openApiSchema(schema) as object) });
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
const adminOnly = [{ adminToken: [] }];

const concurrency = { type: 'object', properties: { video: { type: 'integer' }, image: { type: 'integer' }, 'try-on': { type: 'integer' } } };
const tenantView = {
  type: 'object',
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, created_at: { type: 'integer', description: 'Unix milliseconds' },
    concurrency, timing: { type: ['string', 'null'] }, engine: { type: 'string', enum: [...ENGINE_NAMES] }, signed_callbacks: { type: 'boolean' },
  },
};
const timingView = { type: 'string', enum: [...TIMING_PROFILES] };
const simulatorSettingsView = {
  type: 'object',
  properties: {
    timing: { ...timingView, type: ['string', 'null'], description: "the tenant's own profile; null follows the server's" },
    effective_timing: { ...timingView, description: 'the profile its next simulated task gets' },
    server_timing: timingView, engine: { type: 'string', enum: [...ENGINE_NAMES] },
  },
};
const keyView = {
  type: 'object',
  properties: {
    name: { type: 'string' }, type: { type: 'string', enum: ['api_key', 'access_key'] }, access_key: { type: ['string', 'null'] },
    created_at: { type: 'integer' }, last_used_at: { type: ['integer', 'null'] }, revoked_at: { type: ['integer', 'null'] },
  },
};
const packView = {
  type: 'object',
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, type: { type: 'string' }, total_units: { type: 'number' },
    remaining_units: { type: 'number' }, effective_time: { type: 'integer' }, invalid_time: { type: 'integer' },
    status: { type: 'string', enum: ['toBeOnline', 'online', 'expired', 'runOut'] },
  },
};
const credentials = {
  type: 'object',
  description: 'shown once: kiln keeps API keys only as hashes',
  properties: {
    tenant_id: { type: 'string' }, name: { type: 'string' }, api_key: { type: 'string' }, access_key: { type: 'string' },
    secret_key: { type: 'string' }, webhook_secret: { type: ['string', 'null'] },
  },
};
const tenant = pathParam('name', 'tenant name');
const upstream = pathParam('name', 'upstream name');
const upstreamView = {
  type: 'object',
  description: 'secrets are never shown, only whether each is set',
  properties: {
    name: { type: 'string' }, base_url: { type: 'string' }, path_style: { type: 'string', enum: [...UPSTREAM_PATH_STYLES] },
    endpoint_path: { type: ['string', 'null'] }, endpoint_paths: { type: 'object', additionalProperties: { type: 'string' } },
    concurrency, models: { type: 'array', items: { type: 'string' } }, families: { type: 'array', items: { type: 'string' } },
    priority: { type: 'integer' }, results: { type: 'string', enum: [...UPSTREAM_RESULT_MODES] }, access_key: { type: ['string', 'null'] },
    api_key_set: { type: 'boolean' }, secret_key_set: { type: 'boolean' }, webhook_secret_set: { type: 'boolean' },
    created_at: { type: 'integer' }, updated_at: { type: 'integer' },
    concurrency_now: { ...concurrency, description: 'the limits kept to now: lower than concurrency for a while after the upstream refused with 1303' },
    health: {
      type: 'object',
      description: "the account's circuit breaker: open takes no requests until open_until; probing takes them again and the next answer decides",
      properties: {
        state: { type: 'string', enum: [...UPSTREAM_HEALTH_STATES] }, failures: { type: 'integer' },
        open_until: { type: ['integer', 'null'] }, reason: { type: ['string', 'null'] },
      },
    },
  },
};

export function operatorOpenApiPaths(): Record<string, object> {
  const tags = ['operator'];
  const admin = (o: object) => ({ tags, security: adminOnly, ...o });
  const sim = ['simulator'];
  const health = ['health'];
  // For probes and scrapers, not Kling clients: plain JSON or Prometheus text, no Kling envelope (a generic client,
  // or a test walking every operation, can tell them apart by this extension).
  const plain = { 'x-kiln-envelope': false };
  // The simulator controls answer once the workers have moved the task (up to two minutes, then 5002).
  const waits = { 'x-kiln-waits-for-workers': true };
  return {
    '/admin/tenants': {
      get: admin({ operationId: 'admin_list_tenants', summary: 'List tenants', responses: answer('tenants', { type: 'array', items: tenantView }) }),
      post: admin({
        operationId: 'admin_create_tenant',
        summary: 'Create a tenant with an API key, an AK/SK pair and the starter resource packs',
        description: `Concurrency per pack type: ${CONCURRENCY_LIMITS.min}–${CONCURRENCY_LIMITS.max}. The answer holds the credentials, shown once.`,
        requestBody: body(TenantCreateSchema),
        responses: answer('the credentials, shown once', credentials),
      }),
    },
    '/admin/tenants/{name}': {
      get: admin({
        operationId: 'admin_show_tenant', summary: 'A tenant with its keys (no secrets), packs and slots in use', parameters: [tenant],
        responses: answer('the tenant', { ...tenantView, properties: { ...tenantView.properties, keys: { type: 'array', items: keyView }, packs: { type: 'array', items: packView }, slots_in_use: concurrency } }),
      }),
      patch: admin({
        operationId: 'admin_update_tenant', summary: 'Change concurrency limits, the simulator timing or the engine', parameters: [tenant],
        requestBody: body(TenantUpdateSchema), responses: answer('the tenant as changed', tenantView),
      }),
      delete: admin({
        operationId: 'admin_remove_tenant',
        summary: 'Remove a tenant, its keys and packs (refused with 1201 while it has unfinished tasks)',
        parameters: [tenant], responses: answer('removed', { type: 'object', properties: { name: { type: 'string' }, removed: { type: 'boolean' } } }),
      }),
    },
    '/admin/tenants/{name}/keys': {
      get: admin({ operationId: 'admin_list_keys', summary: "A tenant's keys, revoked ones included (no secrets)", parameters: [tenant], responses: answer('keys', { type: 'array', items: keyView }) }),
      post: admin({
        operationId: 'admin_add_key', summary: 'Add a named API key or AK/SK pair; the answer shows it once', parameters: [tenant],
        requestBody: body(KeyCreateSchema),
        responses: answer('the new key', { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' }, api_key: { type: 'string' }, access_key: { type: 'string' }, secret_key: { type: 'string' } } }),
      }),
    },
    '/admin/tenants/{name}/keys/{key}': {
      delete: admin({
        operationId: 'admin_revoke_key',
        summary: 'Revoke one key: every process refuses it with 1002 from the next request; the tenant\'s other keys keep working',
        parameters: [tenant, pathParam('key', 'key name')], responses: answer('the revoked key', keyView),
      }),
    },
    '/admin/tenants/{name}/packs': {
      get: admin({ operationId: 'admin_list_packs', summary: "A tenant's resource packs", parameters: [tenant], responses: answer('packs', { type: 'array', items: packView }) }),
      post: admin({
        operationId: 'admin_add_pack', summary: 'Give a tenant a resource pack (units of one type, valid until expires_at)', parameters: [tenant],
        requestBody: body(PackCreateSchema), responses: answer('the pack', packView),
      }),
    },
    '/admin/upstreams': {
      get: admin({ operationId: 'admin_list_upstreams', summary: 'List the upstream Kling accounts the relay sends tasks to (no secrets)', responses: answer('upstreams', { type: 'array', items: upstreamView }) }),
      post: admin({
        operationId: 'admin_add_upstream',
        summary: 'Add an upstream: a base URL and an API key or an AK/SK pair (kept encrypted), which models and families it carries, its priority',
        requestBody: body(UpstreamCreateSchema), responses: answer('the upstream', upstreamView),
      }),
    },
    '/admin/upstreams/{name}': {
      get: admin({ operationId: 'admin_show_upstream', summary: 'An upstream (no secrets)', parameters: [upstream], responses: answer('the upstream', upstreamView) }),
      patch: admin({
        operationId: 'admin_update_upstream', summary: "Change an upstream; tasks already sent stay on it", parameters: [upstream],
        requestBody: body(UpstreamUpdateSchema), responses: answer('the upstream as changed', upstreamView),
      }),
      delete: admin({
        operationId: 'admin_remove_upstream', summary: 'Remove an upstream (refused with 1201 while tasks are on it)',
        parameters: [upstream], responses: answer('removed', { type: 'object', properties: { name: { type: 'string' }, removed: { type: 'boolean' } } }),
      }),
    },
    '/admin/upstreams/{name}/costs': {
      get: admin({
        operationId: 'admin_upstream_costs',
        summary: "The upstream account's own resource packs, from its /account/costs (asked live; 5001 naming the upstream when it fails)",
        parameters: [
          upstream,
          { name: 'start_time', in: 'query', required: false, schema: { type: 'integer' }, description: 'Unix ms; default 30 days ago' },
          { name: 'end_time', in: 'query', required: false, schema: { type: 'integer' }, description: 'Unix ms; default now' },
          { name: 'resource_pack_name', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: answer("the upstream's answer: {code, msg, resource_pack_subscribe_infos[]}"),
      }),
    },
    '/admin/simulator/rules': {
      get: admin({ tags: sim, operationId: 'admin_get_simulator_rules', summary: "The simulator's fault rules and blocked words", responses: answer('the rules') }),
      put: admin({
        tags: sim, operationId: 'admin_set_simulator_rules', summary: "Replace the simulator's fault rules and blocked words",
        requestBody: { required: true, content: json({ type: 'object', properties: { rules: { type: 'array', items: { type: 'object', properties: { family: { type: 'string' }, probability: { type: 'number', minimum: 0, maximum: 1 }, fault: { type: 'string', description: 'X-Kiln-Simulate directives, e.g. fail=1301' } } } }, blocked_words: { type: 'array', items: { type: 'string' } } } }) },
        responses: answer('the rules as stored'),
      }),
    },
    '/simulator/tasks/{task_id}/complete': {
      post: { ...waits, tags: sim, operationId: 'simulator_complete_task', summary: "Finish one of the caller's tasks now (its callbacks fire)", parameters: [pathParam('task_id', 'task_id')], responses: answer('the finished task') },
    },
    '/simulator/tasks/{task_id}/advance': {
      post: {
        ...waits, tags: sim, operationId: 'simulator_advance_task', summary: "Move a task's clock forward", parameters: [pathParam('task_id', 'task_id')],
        requestBody: { required: true, content: json({ type: 'object', required: ['seconds'], properties: { seconds: { type: 'number', exclusiveMinimum: 0 } } }) },
        responses: answer('the task after the jump'),
      },
    },
    '/simulator/tasks/complete': {
      post: { ...waits, tags: sim, operationId: 'simulator_complete_all', summary: "Finish all of the caller's unfinished tasks", responses: answer('the finished tasks', { type: 'array' }) },
    },
    '/simulator/settings': {
      get: { tags: sim, operationId: 'simulator_get_settings', summary: "The caller's simulator timing profile, the one its next task gets, and its engine", responses: answer('the settings', simulatorSettingsView) },
      put: {
        tags: sim, operationId: 'simulator_set_settings', summary: "Set the caller's own timing profile (null follows the server's); 1201 for a relay tenant",
        requestBody: body(SimulatorSettingsSchema), responses: answer('the settings as now stored', simulatorSettingsView),
      },
    },
    '/healthz': { get: { ...plain, tags: health, security: [], operationId: 'healthz', summary: 'The process is alive', responses: { '200': { description: '{"status":"ok"}' } } } },
    '/health': { get: { ...plain, tags: health, security: [], operationId: 'health', summary: 'Same as /healthz', responses: { '200': { description: '{"status":"ok"}' } } } },
    '/readyz': {
      get: { ...plain, tags: health, security: [], operationId: 'readyz', summary: 'The store, the queue and storage work', responses: { '200': { description: 'ready, with each check' }, '503': { description: 'unavailable, naming the part that failed' } } },
    },
    '/metrics': {
      get: { ...plain, tags: health, security: adminOnly, operationId: 'metrics', summary: 'Prometheus metrics (admin token or KILN_METRICS_TOKEN)', responses: { '200': { description: 'Prometheus text format' }, '401': { description: 'no or a wrong token (plain text)' } } },
    },
  };
}

/** The security scheme of the operator endpoints, for openapi.json's components. */
export const ADMIN_TOKEN_SCHEME = { type: 'http', scheme: 'bearer', description: 'the admin token (KILN_ADMIN_TOKEN, or the one made on first start)' };
