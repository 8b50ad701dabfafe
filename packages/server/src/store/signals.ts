// Signals between the processes that share a store: "a job is due" (wake the workers now rather than at their next
// poll) and "the simulator rules changed" (drop the cached copy). On PostgreSQL they travel by LISTEN/NOTIFY, so a
// task created by one API process is picked up at once by a worker in another; the embedded store has one process,
// where a signal is simply delivered to it.
//
// Signals are hints: a lost one (a dropped connection, a process starting) only delays work until the next poll.

import { randomBytes } from 'node:crypto';
import pg from 'pg';

const PgClient = pg.Client;

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
 * Signals through PostgreSQL: a connection of its own (outside the pool, which can then be closed whatever happens
 * here) listens for as long as the process runs, and is made again after it drops; sends go out as NOTIFY on any
 * connection of the pool.
 */
export async function postgresSignals(url: string, pool: pg.Pool, onSignal: (signal: Signal) => void): Promise<Signals> {
  let listener: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const pending = new Set<Signal>();
  // This process's signals come back to it through the channel too: they are told apart by this mark and skipped.
  const me = randomBytes(8).toString('hex');

  const lost = (client: pg.Client) => {
    // The connection is gone: listen again on a fresh one (until that works, workers find jobs by polling).
    if (listener !== client) return;
    listener = undefined;
    void client.end().catch(() => undefined);
    if (!closed) retry = setTimeout(relisten, RECONNECT_MS);
  };
  const listen = async (): Promise<void> => {
    const client = new PgClient({ connectionString: url });
    // Handlers first: an 'error' event without one would end the process.
    client.on('error', () => lost(client));
    client.on('end', () => lost(client));
    client.on('notification', (message) => {
      const [signal, sender] = (message.payload ?? '').split(':');
      if (message.channel !== CHANNEL || sender === me) return;
      if (signal === 'jobs' || signal === 'rules') onSignal(signal);
    });
    listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      if (listener === client) listener = undefined;
      void client.end().catch(() => undefined);
      throw error;
    }
    // Signals sent while nobody listened are lost: say "jobs" once, so due work is looked for now.
    onSignal('jobs');
  };
  const relisten = () => void listen().catch(() => {
    if (!closed) retry = setTimeout(relisten, RECONNECT_MS);
  });
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
      const client = listener;
      listener = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
