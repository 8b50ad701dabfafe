// Compile-once queries. Kysely builds and compiles a query on every call, which costs more than SQLite takes to
// run a point query; the hot queries (create, get by id) are compiled once per database — in that database's
// dialect, so this holds for PostgreSQL too — with named placeholders, and run with fresh values.

import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';

const MARK = '\u0000kiln-param:';

/** A named placeholder for a value supplied at run time. */
export const param = <T = any>(name: string): T => (MARK + name) as unknown as T;

interface Executor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

export type Prepared<Row> = (executor: Executor, values: object) => Promise<QueryResult<Row>>;

/** The SQL texts made by prepare(): a fixed set, which a PostgreSQL connection may keep parsed (postgres.ts). */
export const preparedTexts = new Set<string>();

export function prepare<Row>(query: Compilable<Row>): Prepared<Row> {
  const { sql, parameters } = query.compile();
  preparedTexts.add(sql);
  const names = parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? p.slice(MARK.length) : undefined));
  return (executor, given) => {
    const values = given as Record<string, unknown>;
    const bound = parameters.map((p, i) => {
      const name = names[i];
      if (name === undefined) return p;
      if (!(name in values)) throw new Error(`prepared query: no value for ${name}`);
      return values[name];
    });
    return executor.executeQuery(CompiledQuery.raw(sql, bound) as CompiledQuery<Row>);
  };
}
