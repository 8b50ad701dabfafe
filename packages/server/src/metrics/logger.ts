// kiln's log: JSON lines (pino) on stdout, or on a stream the embedder gives; readable lines instead with
// KILN_LOG_FORMAT=pretty (the default on a terminal). Lines carry ids, routes and statuses, never a secret: callers
// log chosen fields, never a request's headers or body.

import pino, { type DestinationStream, type Logger } from 'pino';
import { prettyDestination } from './pretty-log.ts';

export type { Logger } from 'pino';

export function createLogger(level: string, destination?: DestinationStream, format: 'json' | 'pretty' = 'json'): Logger {
  if (format === 'pretty') return pino({ level }, prettyDestination(destination ?? process.stdout));
  // Asynchronous writes: a request's log line is queued and written with the others of its moment instead of
  // blocking the answer on a write(2) of its own; pino flushes what is queued when the process exits.
  return pino({ level }, destination ?? pino.destination({ dest: 1, sync: false }));
}
