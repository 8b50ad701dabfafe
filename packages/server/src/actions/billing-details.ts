// POST /account/billing/package and /account/billing/balance (spec §6.2): the unit deductions kiln recorded with
// each charge (store/deductions.ts), page by page; the cash-balance list is always empty, as kiln bills resource
// packs only.
//
// The cursor is opaque to clients: base64url of the query and of the last row's id. Rows are read in id order, so
// walking the pages meets every row once, even while new charges are recorded (they come after the cursor).

import { KlingError } from '@kiln/contract';
import { deductionsPage, type DeductionFilterKey, type DeductionQuery, type UnitDeduction } from '../store/deductions.ts';
import type { Tenant } from '../store/tenants.ts';
import type { ActionDeps } from './deps.ts';

export interface BillingRequest {
  start_time?: number;
  end_time?: number;
  limit?: number;
  filters?: { key: DeductionFilterKey; values: string[] }[];
  cursor?: string;
}

export async function packageDeductions(deps: ActionDeps, tenant: Tenant, req: BillingRequest) {
  const query = req.cursor ? decodeCursor(req.cursor) : firstPage(req);
  // One row more than asked says whether there is a next page.
  const rows = await deductionsPage(deps.db, tenant.id, { ...query, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const hasMore = rows.length > query.limit;
  return {
    result: { detail: page.map(detailOf), count: page.length },
    next_cursor: hasMore ? encodeCursor({ ...query, afterId: page[page.length - 1].id }) : '',
    has_more: hasMore,
  };
}

/** Nothing is ever paid from a cash balance in kiln; a cursor must still be one kiln gave. */
export async function balanceDeductions(_deps: ActionDeps, _tenant: Tenant, req: BillingRequest) {
  if (req.cursor) decodeCursor(req.cursor);
  return { result: { detail: [], count: 0 }, next_cursor: '', has_more: false };
}

/** The body's query (the contract's rules made sure both times are there); a key given twice joins its values. */
function firstPage(req: BillingRequest): DeductionQuery {
  const filters: DeductionQuery['filters'] = {};
  for (const f of req.filters ?? []) filters[f.key] = [...(filters[f.key] ?? []), ...f.values];
  return { start: req.start_time!, end: req.end_time!, limit: req.limit ?? 500, filters, afterId: 0 };
}

function detailOf(row: UnitDeduction) {
  return {
    package_id: row.package_id,
    product_type: row.product_type,
    task_id: row.task_id,
    api_key_name: row.api_key_name,
    product_function: row.product_function,
    model_name: row.model_name,
    resolution: row.resolution,
    duration: row.duration,
    refer_video_input: row.refer_video_input === 1,
    video_sound: row.video_sound,
    voice_control: row.voice_control === 1,
    deduction_time: String(row.deduction_time),
    unit_before_deduction: row.unit_before,
    deduction_amount: row.amount,
    unit_after_deduction: row.unit_after,
  };
}

const encodeCursor = (q: DeductionQuery) => Buffer.from(JSON.stringify(q)).toString('base64url');

const BAD_CURSOR = 'cursor: not a cursor from this server; pass next_cursor of the previous answer unchanged';

function decodeCursor(cursor: string): DeductionQuery {
  let q: any;
  try {
    q = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new KlingError(1201, BAD_CURSOR);
  }
  const int = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const filtersOk = q && typeof q.filters === 'object' && q.filters !== null && Object.entries(q.filters).every(([key, values]) =>
    ['api_key_name', 'product_type', 'package_name', 'package_id'].includes(key)
    && Array.isArray(values) && values.every((v) => typeof v === 'string'));
  if (!filtersOk || !int(q.start) || !int(q.end) || !int(q.afterId) || !int(q.limit) || q.limit < 1 || q.limit > 500) {
    throw new KlingError(1201, BAD_CURSOR);
  }
  return { start: q.start, end: q.end, limit: q.limit, filters: q.filters, afterId: q.afterId };
}
