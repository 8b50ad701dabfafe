// The OpenAPI 3.1 document of the task API, generated from the family definitions (served as /openapi.json).

import { KLING_CODES } from './errors.ts';
import type { AnyFamily } from './family.ts';
import type { AnyAction } from './action.ts';
import { TASK_LIST_BOUNDS } from './pagination.ts';
import { newStandardOpenApiPaths } from './new-standard/openapi.ts';

/**
 * A request schema as openapi.json shows it: a media field's `limits` (bytes, edges, ratio, length, frame rate,
 * formats: data, media-limits.ts) become the `x-kling-limits` extension, beside their words in `description`.
 */
export function openApiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openApiSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'limits') out['x-kling-limits'] = value;
    else out[key] = openApiSchema(value);
  }
  return out;
}

/** A family's list bounds (custom voices page up to 1000 items). */
const bounds = (f: AnyFamily) => f.pageBounds ?? TASK_LIST_BOUNDS;

const envelope = (data: object) => ({
  type: 'object',
  required: ['code', 'message', 'request_id'],
  properties: { code: { type: 'integer' }, message: { type: 'string' }, request_id: { type: 'string' }, data },
});

const taskObject = {
  type: 'object',
  properties: {
    task_id: { type: 'string', description: 'numeric string, 18–19 digits' },
    task_status: { type: 'string', enum: ['submitted', 'processing', 'succeed', 'failed'] },
    task_status_msg: { type: 'string' },
    task_info: { type: 'object', properties: { external_task_id: { type: ['string', 'null'] } } },
    task_result: { type: 'object' },
    watermark_info: { type: 'object', properties: { enabled: { type: 'boolean' } } },
    final_unit_deduction: { type: 'string' },
    created_at: { type: 'integer', description: 'Unix milliseconds' },
    updated_at: { type: 'integer', description: 'Unix milliseconds' },
  },
};

const errorResponses = Object.fromEntries(
  [...new Set(Object.values(KLING_CODES).map((c) => c.http))].filter((s) => s !== 200).map((status) => [
    String(status),
    {
      description: Object.entries(KLING_CODES).filter(([, c]) => c.http === status).map(([code, c]) => `${code} ${c.meaning}`).join('; '),
      content: { 'application/json': { schema: envelope({}) } },
    },
  ]),
);

export function buildOpenApi(families: readonly AnyFamily[], actions: readonly AnyAction[] = [], version = '0.1.0') {
  const paths: Record<string, object> = {};
  for (const a of actions) {
    const operation = {
      tags: [a.group],
      operationId: a.name.replace(/\W/g, '_'),
      summary: a.title,
      description: `${a.description}\n\nAnswer data: ${a.response}`,
      ...(a.method === 'GET'
        ? { parameters: Object.entries(a.request.properties).map(([name, schema]) => ({ name, in: 'query', required: (a.request.required ?? []).includes(name), schema: openApiSchema(schema) })) }
        : { requestBody: { required: true, content: { 'application/json': { schema: openApiSchema(a.request) } } } }),
      responses: { '200': { description: 'done', content: { 'application/json': { schema: envelope({}) } } }, ...errorResponses },
    };
    paths[a.path] = { ...(paths[a.path] ?? {}), [a.method.toLowerCase()]: operation };
  }
  for (const f of families) {
    const tag = f.group;
    const rules = f.rules.map((r) => `- ${r.text}`).join('\n');
    paths[f.path] = {
      post: {
        tags: [tag],
        operationId: `create_${f.name}`,
        summary: `${f.title}: create a task`,
        description: `Models: ${Object.keys(f.models).join(', ')} (default ${f.defaultModel}). Pack: ${f.pack}.\n\nRules:\n${rules}`,
        requestBody: { required: true, content: { 'application/json': { schema: openApiSchema(f.request) } } },
        responses: { '200': { description: 'task created', content: { 'application/json': { schema: envelope(taskObject) } } }, ...errorResponses },
      },
      get: {
        tags: [tag],
        operationId: `list_${f.name}`,
        summary: `${f.title}: list tasks (newest first), or one by ?external_task_id=`,
        parameters: [
          { name: 'pageNum', in: 'query', schema: { type: 'integer', minimum: 1, maximum: bounds(f).maxPageNum, default: 1 } },
          { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: bounds(f).maxPageSize, default: bounds(f).defaultPageSize } },
          { name: 'external_task_id', in: 'query', schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'tasks', content: { 'application/json': { schema: envelope({ type: 'array', items: taskObject }) } } }, ...errorResponses },
      },
    };
    paths[`${f.path}/{id}`] = {
      get: {
        tags: [tag],
        operationId: `get_${f.name}`,
        summary: `${f.title}: query a task by task_id or external_task_id`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'the task', content: { 'application/json': { schema: envelope(taskObject) } } }, ...errorResponses },
      },
    };
  }
  // The new standard (model in the path, /tasks): its endpoints are data beside the families.
  Object.assign(paths, newStandardOpenApiPaths(errorResponses));
  return {
    openapi: '3.1.0',
    info: { title: 'kiln — Kling-compatible API', version },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key, or a JWT (HS256, iss = access key) signed with the secret key' } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
