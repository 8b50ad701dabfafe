// `GET /tasks` and `POST /tasks` (spec new-standard.md §5.1–5.2): the batch query by ids and the cursor query, with
// their limits as data and the messages live Kling answers with.

import { Type, type Static } from '@sinclair/typebox';
import { KlingError } from '../errors.ts';
import { oneOf } from '../fields.ts';
import { validateAction, defineAction } from '../action.ts';
import { RESULT_LIFETIME_MS } from '../lifetimes.ts';
import { PRODUCT_TYPES } from './record.ts';

export const TASK_QUERY_LIMITS = {
  /** Ids per `GET /tasks`, both parameters together (LIVE: 21 is refused, §5.1). */
  maxIds: 20,
  defaultLimit: 100,
  maxLimit: 500,
  /** `POST /tasks` without start_time looks back this far from end_time. */
  windowMs: RESULT_LIFETIME_MS,
} as const;

export const TASK_QUERY_MESSAGES = {
  idsRequired: 'task_ids or external_task_ids is required',
  tooMany: `task_ids and external_task_ids cannot exceed ${TASK_QUERY_LIMITS.maxIds} in total`,
  // Both together: not recorded live (§5.1); the docs forbid it, so kiln says so.
  notBoth: 'use task_ids or external_task_ids, not both',
} as const;

export interface TaskIdsQuery {
  by: 'task_ids' | 'external_task_ids';
  /** Distinct ids in the order given. */
  ids: string[];
}

/** Reads `GET /tasks`'s query: comma-separated ids, empty entries skipped, at most 20 in total. */
export function parseTaskIdsQuery(query: Record<string, unknown>): TaskIdsQuery {
  const list = (raw: unknown) => {
    const text = Array.isArray(raw) ? raw.join(',') : typeof raw === 'string' ? raw : '';
    return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  };
  const taskIds = list(query.task_ids);
  const externalIds = list(query.external_task_ids);
  if (taskIds.length + externalIds.length > TASK_QUERY_LIMITS.maxIds) throw new KlingError(1201, TASK_QUERY_MESSAGES.tooMany);
  if (taskIds.length && externalIds.length) throw new KlingError(1201, TASK_QUERY_MESSAGES.notBoth);
  if (!taskIds.length && !externalIds.length) throw new KlingError(1201, TASK_QUERY_MESSAGES.idsRequired);
  return taskIds.length ? { by: 'task_ids', ids: [...new Set(taskIds)] } : { by: 'external_task_ids', ids: [...new Set(externalIds)] };
}

/** A Unix time in milliseconds, as a number or a numeric string. */
const unixMs = () =>
  Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^\\d{1,15}$' })], { rule: 'must be a time in Unix milliseconds (a number or a numeric string)' });

const STATUS_VALUES = ['submitted', 'processing', 'succeeded', 'failed'] as const;

/** `POST /tasks`'s body as data (for validation and openapi.json). */
export const taskCursorQuery = defineAction({
  name: 'tasks-cursor',
  group: 'videos',
  title: 'Query tasks (cursor)',
  method: 'POST',
  path: '/tasks',
  request: Type.Object({
    // Numbers on the 3.0-turbo pages, strings on the others; both were accepted live (§9 C1).
    start_time: Type.Optional(unixMs()),
    end_time: Type.Optional(unixMs()),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    limit: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: TASK_QUERY_LIMITS.maxLimit }), Type.String({ pattern: '^\\d{1,3}$' })], {
      rule: `must be an integer from 1 to ${TASK_QUERY_LIMITS.maxLimit}`,
    })),
    filters: Type.Optional(Type.Array(Type.Union([
      Type.Object({ key: Type.Literal('status'), values: Type.Array(oneOf(STATUS_VALUES)) }),
      Type.Object({ key: Type.Literal('product_type'), values: Type.Array(oneOf(PRODUCT_TYPES)) }),
    ], { rule: `must be {"key": "status", "values": [${STATUS_VALUES.join(', ')}]} or {"key": "product_type", "values": [${PRODUCT_TYPES.join(', ')}]}` }))),
  }),
  rules: [],
  description: 'Tasks of every product and both standards created in a window (default: the last 30 days), newest first, a page at a time.',
  response: '{result[], count, next_cursor, has_more} (result and next_cursor are left out of an empty page)',
});

export type TaskCursorBody = Static<typeof taskCursorQuery.request>;

export interface CursorQuery {
  startTime: number;
  endTime: number;
  limit: number;
  statuses?: string[];
  productTypes?: string[];
  /** Where the previous page ended (and the window it was read in). */
  after?: CursorPosition;
}

export interface CursorPosition {
  createdAt: number;
  id: string;
  startTime: number;
  endTime: number;
}

/** Reads `POST /tasks`'s body (numbers or numeric strings; a non-empty cursor replaces the window). */
export function parseCursorQuery(input: unknown, now: number): CursorQuery {
  const body = validateAction(taskCursorQuery, input ?? {}) as TaskCursorBody;
  const limit = body.limit === undefined ? TASK_QUERY_LIMITS.defaultLimit : Number(body.limit);
  if (!(limit >= 1 && limit <= TASK_QUERY_LIMITS.maxLimit)) throw new KlingError(1201, `limit value '${body.limit}' is invalid: must be an integer from 1 to ${TASK_QUERY_LIMITS.maxLimit}`);
  const values = (key: string) => {
    const lists = (body.filters ?? []).filter((f) => f.key === key).map((f) => f.values as string[]);
    // An empty list filters nothing out, as if the key had not been sent.
    const flat = [...new Set(lists.flat())];
    return flat.length ? flat : undefined;
  };
  const query: CursorQuery = { startTime: 0, endTime: 0, limit, statuses: values('status'), productTypes: values('product_type') };
  if (body.cursor) {
    const after = decodeCursor(body.cursor);
    return { ...query, startTime: after.startTime, endTime: after.endTime, after };
  }
  const endTime = body.end_time === undefined ? now : Number(body.end_time);
  const startTime = body.start_time === undefined ? endTime - TASK_QUERY_LIMITS.windowMs : Number(body.start_time);
  if (startTime >= endTime) throw new KlingError(1201, `start_time (${startTime}) must be earlier than end_time (${endTime})`);
  return { ...query, startTime, endTime };
}

/** The cursor handed out as `next_cursor`: where the page ended and the window, opaque to clients. */
export function encodeCursor(position: CursorPosition): string {
  const text = `${position.createdAt}.${position.id}.${position.startTime}.${position.endTime}`;
  return btoa(text).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

export function decodeCursor(cursor: string): CursorPosition {
  let text = '';
  try {
    text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    // fall through to the refusal below
  }
  const match = /^(\d{1,15})\.(\d{1,24})\.(\d{1,15})\.(\d{1,15})$/.exec(text);
  if (!match) throw new KlingError(1201, "cursor value is invalid: pass the previous page's next_cursor unchanged");
  return { createdAt: Number(match[1]), id: match[2], startTime: Number(match[3]), endTime: Number(match[4]) };
}
