// The new standard in openapi.json: each create endpoint with its request schema and rules, and the two `/tasks`
// queries, with the record they answer (spec new-standard.md §4–5).

import { openApiSchema } from '../openapi.ts';
import { newStandardEndpoints } from './index.ts';
import { TASK_QUERY_LIMITS, TASK_QUERY_MESSAGES, taskCursorQuery } from './task-queries.ts';

const envelope = (data: object) => ({
  type: 'object',
  required: ['code', 'message', 'request_id'],
  properties: { code: { type: 'integer' }, message: { type: 'string' }, request_id: { type: 'string' }, data },
});

const created = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'numeric string, 18–19 digits' },
    status: { type: 'string', enum: ['submitted', 'processing', 'succeeded', 'failed'] },
    message: { type: 'string' },
    create_time: { type: 'integer', description: 'Unix milliseconds' },
    update_time: { type: 'integer', description: 'Unix milliseconds' },
    external_id: { type: 'string', description: "options.external_task_id, when one was sent" },
  },
};

const record = {
  ...created,
  properties: {
    ...created.properties,
    outputs: { type: 'array', items: { type: 'object', description: 'by type: video {id,url,watermark_url,duration}, image {url,watermark_url,group_id}, audio {id,mp3_url,wav_url,mp3_duration,wav_duration}, voice, element' } },
    billing: { type: 'array', items: { type: 'object', properties: { charge_type: { type: 'string' }, amount: { type: 'string' }, package_type: { type: 'string' } } } },
  },
};

export function newStandardOpenApiPaths(errorResponses: Record<string, object>): Record<string, object> {
  const paths: Record<string, object> = {};
  for (const e of newStandardEndpoints) {
    const rules = [...e.rules, ...(e.elementNames ? [e.elementNames] : [])].map((r) => `- ${r.text}`).join('\n');
    paths[e.path] = {
      post: {
        tags: ['new-standard'],
        operationId: `create_${e.name.replace(/\W/g, '_')}`,
        summary: `${e.title}: create a task (new standard, API key only)`,
        description: `Model ${e.modelId}${e.aliases.length ? ` (also served as ${e.aliases.join(', ')})` : ''}. Pack: ${e.pack}. Also under /kling and /v1/ai/{endpoint}/kling/videos.\n\nRules:\n${rules}`,
        requestBody: { required: true, content: { 'application/json': { schema: openApiSchema(e.request) } } },
        responses: { '200': { description: 'task created', content: { 'application/json': { schema: envelope(created) } } }, ...errorResponses },
      },
    };
  }
  paths['/tasks'] = {
    get: {
      tags: ['new-standard'],
      operationId: 'get_tasks',
      summary: `Tasks of both standards by task_ids or external_task_ids (comma-separated, at most ${TASK_QUERY_LIMITS.maxIds} in total)`,
      description: `Unknown ids are left out of the answer. Errors: "${TASK_QUERY_MESSAGES.idsRequired}", "${TASK_QUERY_MESSAGES.tooMany}".`,
      parameters: [
        { name: 'task_ids', in: 'query', schema: { type: 'string' } },
        { name: 'external_task_ids', in: 'query', schema: { type: 'string' } },
      ],
      responses: { '200': { description: 'the tasks found', content: { 'application/json': { schema: envelope({ type: 'array', items: record }) } } }, ...errorResponses },
    },
    post: {
      tags: ['new-standard'],
      operationId: 'query_tasks',
      summary: taskCursorQuery.title,
      description: `${taskCursorQuery.description} limit default ${TASK_QUERY_LIMITS.defaultLimit}, max ${TASK_QUERY_LIMITS.maxLimit}.`,
      requestBody: { required: false, content: { 'application/json': { schema: openApiSchema(taskCursorQuery.request) } } },
      responses: {
        '200': {
          description: taskCursorQuery.response,
          content: { 'application/json': { schema: envelope({ type: 'object', properties: { result: { type: 'array', items: record }, count: { type: 'integer' }, next_cursor: { type: 'string' }, has_more: { type: 'boolean' } } }) } },
        },
        ...errorResponses,
      },
    },
  };
  return paths;
}
