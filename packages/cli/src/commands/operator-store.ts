// What `kiln tenant|key|pack` share: the server's tenant functions (loaded only when such a command runs), the
// data-directory option, and the store opened for one command and closed after it.

import type { Command } from 'commander';
import path from 'node:path';
import { loadServer } from '../server-package.ts';

export const operatorApi = (command: string) => loadServer(command, () => import('@kiln/server/tenants'));
export type OperatorApi = Awaited<ReturnType<typeof operatorApi>>;
type Db = Parameters<OperatorApi['listTenantViews']>[0];

export const withDataDir = (command: Command) =>
  command.option('-d, --data-dir <dir>', 'data directory (env KILN_DATABASE_URL for PostgreSQL, else env KILN_DATA_DIR, default ./.kiln)');

/** Runs `use` on the store of the data directory (or KILN_DATABASE_URL's PostgreSQL), then closes it. */
export async function onStore<T>(command: string, dataDir: string | undefined, use: (db: Db, api: OperatorApi) => Promise<T>): Promise<T> {
  const api = await operatorApi(command);
  const store = await api.openOperatorStore(path.resolve(dataDir ?? process.env.KILN_DATA_DIR ?? '.kiln'));
  try {
    return await use(store.db, api);
  } finally {
    await store.close();
  }
}

export const when = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'));
