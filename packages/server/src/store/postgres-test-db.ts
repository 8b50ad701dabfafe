// Fresh PostgreSQL databases for tests: each test file (or test) gets its own database on the machine's server, made
// from nothing and dropped after. The server is KILN_TEST_POSTGRES_URL, or the local one with trust auth. A test that
// needs PostgreSQL fails with a message saying how to start it when it is not reachable: it is never skipped.

import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.KILN_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** postgres://… of the new database. */
  url: string;
  /** Drops the database (ending any connection still open to it). */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')} (${(error as Error).message}); these tests need it. ` +
      'Start it (pg_ctlcluster 15 main start, or service postgresql start) or set KILN_TEST_POSTGRES_URL.',
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `kiln_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }),
  };
}
