// Signals between the processes that share a store: "a job is due" (wake the workers now rather than at their next
// poll) and "the simulator rules changed" (drop the cached copy). On PostgreSQL they travel by LISTEN/NOTIFY, so a
// task created by one API process is picked up at once by a worker in another; the embedded store has one process,
// where a signal is simply delivered to it.
//
// Signals are hints: a lost one (a dropped connection, a process starting) only delays work until the next poll.

import { randomBytes } from 'node:crypto';
import type pg from 'pg';

export type Signal = 'jobs' | 'rules';

export interface Signals {
  /**
   * Tells every process: this one at once (before send returns), the others a moment later. Several sends in one
   * tick go out to the others as one.
   */
  send(signal: Signal): void;
  close(): Promise<void>;
}

const CHANNEL = 'kiln_signals';
const RECONNECT_MS = 1_000;

/** Signals within this process only: the embedded store. */
export function localSignals(onSignal: (signal: Signal) => void): Signals {
  return {
    send: (signal) => onSignal(signal),
    close: async () => undefined,
  };
}

/**
 * Signals through PostgreSQL: one connection of the pool listens for as long as the process runs (taken again after
 * it drops); sends go out as NOTIFY on any connection.
 */
export async function postgresSignals(pool: pg.Pool, onSignal: (signal: Signal) => void): Promise<Signals> {
  let listener: pg.PoolClient | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const pending = new Set<Signal>();
  // This process's signals come back to it through the channel too: they are told apart by this mark and skipped.
  const me = randomBytes(8).toString('hex');

  const listen = async (): Promise<void> => {
    const client = await pool.connect();
    client.on('notification', (message) => {
      const [signal, sender] = (message.payload ?? '').split(':');
      if (message.channel !== CHANNEL || sender === me) return;
      if (signal === 'jobs' || signal === 'rules') onSignal(signal);
    });
    client.on('error', () => {
      // The connection is gone: release it as broken and listen again on a fresh one.
      client.release(true);
      if (listener === client) listener = undefined;
      if (!closed) retry = setTimeout(() => void listen().catch(() => undefined), RECONNECT_MS);
    });
    await client.query(`LISTEN ${CHANNEL}`);
    listener = client;
    // Signals sent while nobody listened are lost: say "jobs" once, so due work is looked for now.
    onSignal('jobs');
  };
  await listen();

  return {
    send(signal) {
      if (closed) return;
      onSignal(signal);
      if (pending.size === 0) {
        setImmediate(() => {
          const signals = [...pending];
          pending.clear();
          // A NOTIFY that fails (the database is away) is only a lost hint: the other processes poll.
          for (const s of signals) pool.query('SELECT pg_notify($1, $2)', [CHANNEL, `${s}:${me}`]).catch(() => undefined);
        });
      }
      pending.add(signal);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      if (listener) {
        await listener.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
        listener.release();
        listener = undefined;
      }
    },
  };
}
