// An upstream account's own resource packs, as its `/account/costs` reports them: what the operator pays the
// upstream, beside what kiln bills its tenants. Asked live (the upstream is the only one who knows), for a period
// that defaults to the last 30 days; an upstream that fails to answer is named with what it said.

import { actionGroups, KlingError, validateAction } from '@kiln/contract';
import { KlingApiError, KlingConnectionError } from '@kiln/sdk';
import { upstreamClient } from '../engines/relay/upstream.ts';
import type { Db } from '../store/open.ts';
import type { SecretBox } from '../store/secret-box.ts';
import { upstreamConfigs } from './upstream-admin.ts';

const DEFAULT_PERIOD_MS = 30 * 24 * 3_600_000;

export type CostsQuery = Record<string, unknown>;

export async function upstreamCosts(db: Db, box: SecretBox, name: string, query: CostsQuery, now = Date.now(), fetchFn?: typeof fetch): Promise<unknown> {
  const upstream = (await upstreamConfigs(db, box)).find((u) => u.name === name);
  if (!upstream) throw new KlingError(1203, `no upstream named '${name}'`);
  // Checked as Kling checks its own /account/costs query (the contract's action), over the default period.
  const params = validateAction(actionGroups.account.costs, { start_time: now - DEFAULT_PERIOD_MS, end_time: now, ...query });
  try {
    return await upstreamClient(upstream, fetchFn).action('account/costs')!(params);
  } catch (error) {
    // The upstream's failure is not the operator's: a 5001 naming the upstream and what it said.
    if (error instanceof KlingApiError || error instanceof KlingConnectionError) {
      throw new KlingError(5001, `upstream '${name}' did not report its costs: ${error.message}`);
    }
    throw error;
  }
}
