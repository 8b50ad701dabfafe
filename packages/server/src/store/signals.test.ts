// Signals between processes on PostgreSQL (LISTEN/NOTIFY): a signal reaches the other process and its own at once,
// the sender does not get its own back twice, and a listener whose connection the server dropped listens again.

import { afterEach, beforeEach, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './postgres-test-db.ts';
import { postgresPool } from './postgres.ts';
import { postgresSignals, type Signal, type Signals } from './signals.ts';

let database: TestDatabase;
const pools: pg.Pool[] = [];
const opened: Signals[] = [];
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await Promise.all(pools.splice(0).map((p) => p.end()));
  await database.drop();
});

async function processSignals() {
  const pool = postgresPool(database.url, { poolSize: 2 });
  pools.push(pool);
  const got: Signal[] = [];
  const signals = await postgresSignals(database.url, pool, (s) => got.push(s));
  opened.push(signals);
  got.length = 0; // the "jobs" every listener says once it listens
  return { pool, signals, got };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the signal did not arrive');
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('reaches the sending process at once and the other one by NOTIFY, once each', async () => {
  const a = await processSignals();
  const b = await processSignals();
  a.signals.send('rules');
  expect(a.got).toEqual(['rules']);
  await until(() => b.got.length > 0);
  await new Promise((r) => setTimeout(r, 200));
  expect(b.got).toEqual(['rules']);
  expect(a.got).toEqual(['rules']);
});

it('listens again after the server dropped the listening connection', async () => {
  const a = await processSignals();
  const b = await processSignals();
  const admin = postgresPool(database.url, { poolSize: 1 });
  pools.push(admin);
  const dropped = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                     WHERE datname = current_database() AND query LIKE 'LISTEN%'`);
  expect(dropped.rowCount).toBe(2);
  // Once b listens again it says "jobs" itself (work may have been missed); then a's signals reach it again.
  await until(() => b.got.includes('jobs'));
  b.got.length = 0;
  await until(() => {
    a.signals.send('rules');
    return b.got.includes('rules');
  });
});
