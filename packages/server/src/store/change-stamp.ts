// A store's change stamp: a string that changes when what the store holds may have changed, so that what a process
// read (a key's tenant, for authentication) can be kept while the stamp stays the same. Each store sets its own:
//   - embedded (open.ts): SQLite's total_changes at once for this process's writes, and data_version within
//     CROSS_PROCESS_CHECK_MS for another process's commits (the CLI on the data directory);
//   - PostgreSQL (postgres.ts): this process's writes at once, counted by writeCounter() below, and other
//     processes' writes within SHARED_STORE_CHECK_MS: a shared store cannot tell cheaply, so what is kept is
//     simply read again after that long (a key revoked by another process is refused within a second).

import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Kysely } from 'kysely';

/** How long a commit by another process may go unseen on the embedded store (reading data_version takes a lock). */
export const CROSS_PROCESS_CHECK_MS = 50;
/** How long what another process wrote to a shared store may go unseen. */
export const SHARED_STORE_CHECK_MS = 1_000;

const stamps = new WeakMap<Kysely<any>, () => string>();

export function setChangeStamp(db: Kysely<any>, stamp: () => string): void {
  stamps.set(db, stamp);
}

export function changeStamp(db: Kysely<any>): (() => string) | undefined {
  return stamps.get(db);
}

/** Counts the statements of this process that changed rows (an insert, update or delete that affected any). */
export function writeCounter(): { plugin: KyselyPlugin; writes: () => number } {
  let writes = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => args.node,
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
      if (args.result.numAffectedRows !== undefined && args.result.numAffectedRows > 0n) writes++;
      return args.result;
    },
  };
  return { plugin, writes: () => writes };
}

/** The stamp of a shared store: this process's writes, and the current window of SHARED_STORE_CHECK_MS. */
export function sharedStoreStamp(writes: () => number, now: () => number = Date.now): () => string {
  return () => `${Math.floor(now() / SHARED_STORE_CHECK_MS)}:${writes()}`;
}
