// Reading the query of the console's task lists (GET /kiln/tasks, GET /admin/tasks), and answering them with an
// ETag so a page that polls gets 304 while nothing it lists changed.

import { createHash } from 'node:crypto';
import { CONSOLE_TASK_PAGE, familyByName, KlingError, MAX_PATH_SEGMENT_LENGTH, type ConsoleTaskPage, type TaskStatus } from '@kiln/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listConsoleTasks, type TaskFilter } from '../store/console-tasks.ts';
import type { Db } from '../store/open.ts';
import { taskSummary } from './console-view.ts';

const STATUSES: readonly TaskStatus[] = ['submitted', 'processing', 'succeed', 'failed'];

/** The list's filter from a query string; a value that breaks a rule is a 1201 naming it. */
export function taskFilterOf(query: Record<string, unknown>, tenantId: string | null): TaskFilter {
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new KlingError(1201, `${name} must be given once, as text`);
    if (value.length > MAX_PATH_SEGMENT_LENGTH) throw new KlingError(1201, `${name} must be at most ${MAX_PATH_SEGMENT_LENGTH} characters`);
    return value;
  };
  const status = text('status');
  if (status !== undefined && !STATUSES.includes(status as TaskStatus)) {
    throw new KlingError(1201, `status must be one of ${STATUSES.join(', ')}`);
  }
  const family = text('family');
  if (family !== undefined && !familyByName(family)) throw new KlingError(1201, `family '${family}' is not a task family kiln serves`);
  const size = text('page_size');
  const pageSize = size === undefined ? CONSOLE_TASK_PAGE.default : Number(size);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > CONSOLE_TASK_PAGE.max) {
    throw new KlingError(1201, `page_size must be an integer from 1 to ${CONSOLE_TASK_PAGE.max}`);
  }
  const cursor = text('before');
  let before: TaskFilter['before'];
  if (cursor !== undefined) {
    const match = /^(\d{1,16})_(\S+)$/.exec(cursor);
    if (!match) throw new KlingError(1201, 'before must be the next_before of a previous page');
    before = { createdAt: Number(match[1]), id: match[2] };
  }
  return { tenantId, status: status as TaskStatus | undefined, family, search: text('q')?.trim() || undefined, pageSize, before };
}

/** Answers a page of tasks, or 304 when the client's If-None-Match is the page's ETag. */
export async function answerTaskPage(db: Db, filter: TaskFilter, request: FastifyRequest, reply: FastifyReply, envelope: (data: ConsoleTaskPage) => unknown) {
  const { rows, more } = await listConsoleTasks(db, filter);
  const tasks = rows.map(taskSummary);
  const last = tasks.at(-1);
  const page: ConsoleTaskPage = { tasks, next_before: more && last ? `${last.created_at}_${last.task_id}` : null };
  // The page's content, not a time: the same tasks in the same states give the same tag in any process.
  const etag = `"${createHash('sha256').update(JSON.stringify(page)).digest('base64url').slice(0, 27)}"`;
  reply.header('etag', etag).header('cache-control', 'no-cache');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.send(envelope(page));
}
