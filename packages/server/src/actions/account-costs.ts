// GET /account/costs (spec §6.1): the caller's resource packs that were live at some point of the period, with
// their remaining units. Kling wraps the list in a second {code, msg} inside `data`; kiln answers the same.

import type { Db } from '../store/open.ts';
import { packStatus, packsOf } from '../store/resource-packs.ts';
import type { Tenant } from '../store/tenants.ts';

export interface AccountCostsQuery {
  start_time: number;
  end_time: number;
  resource_pack_name?: string;
}

export async function accountCosts(db: Db, tenant: Tenant, query: AccountCostsQuery) {
  const packs = (await packsOf(db, tenant.id)).filter((p) =>
    p.effective_time <= query.end_time && p.invalid_time >= query.start_time
    && (query.resource_pack_name === undefined || p.name === query.resource_pack_name));
  return {
    code: 0,
    msg: 'success',
    resource_pack_subscribe_infos: packs.map((p) => ({
      resource_pack_name: p.name,
      resource_pack_id: p.id,
      resource_pack_type: p.pack_type,
      total_quantity: p.total_quantity,
      remaining_quantity: p.remaining_quantity,
      purchase_time: p.purchase_time,
      effective_time: p.effective_time,
      invalid_time: p.invalid_time,
      status: packStatus(p),
    })),
  };
}
