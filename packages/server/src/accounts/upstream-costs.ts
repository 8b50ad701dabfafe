// An upstream account's own resource packs, as its `/account/costs` reports them: what the operator pays the
// upstream, beside what kiln bills its tenants. Asked live (the upstream is the only one who knows), for a period
// that defaults to the last 30 days; an upstream that fails to answer is named with what it said.

import { KlingError } from '@kiln/contract';
import { KlingApiError, KlingConnectionError } from '@kiln/sdk';
import { upstreamClient } from '../engines/relay/upstream.ts';
import type { Db } from '../store/open.ts';
import type { SecretBox } from '../store/secret-box.ts';
import { upstreamConfigs } from './upstream-admin.ts';

const DEFAULT_PERIOD_MS = 30 * 24 * 3_600_000;

export interface CostsQuery {
  start_time?: unknown;
  end_time?: unknown;
  resource_pack_name?: unknown;
}

function timeField(query: CostsQuery, field: 'start_time' | 'end_time', fallback: number): number {
  const raw = query[field];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new KlingError(1201, `${field} must be Unix milliseconds (a whole number)`);
  return value;
}

export async function upstreamCosts(db: Db, box: SecretBox, name: string, query: CostsQuery, now = Date.now(), fetchFn?: typeof fetch): Promise<unknown> {
  const upstream = (await upstreamConfigs(db, box)).find((u) => u.name === name);
  if (!upstream) throw new KlingError(1203, `no upstream named '${name}'`);
  const params = {
    start_time: timeField(query, 'start_time', now - DEFAULT_PERIOD_MS),
    end_time: timeField(query, 'end_time', now),
    ...(typeof query.resource_pack_name === 'string' && query.resource_pack_name ? { resource_pack_name: query.resource_pack_name } : {}),
  };
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
