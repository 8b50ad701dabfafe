// Unit deduction records (spec §6.2): one row per resource pack a charge drew on, written by chargeUnits in the
// charge's own transaction, read back page by page by POST /account/billing/package.

import type { Insertable, Selectable, Transaction } from 'kysely';
import type { Db } from './open.ts';
import type { Database, UnitDeductionsTable } from './schema.ts';

export type UnitDeduction = Selectable<UnitDeductionsTable>;
export type NewUnitDeduction = Insertable<UnitDeductionsTable>;

export async function recordDeduction(trx: Transaction<Database>, row: NewUnitDeduction): Promise<void> {
  await trx.insertInto('unit_deductions').values(row).execute();
}

/** The filter keys of the package endpoint, each a column of the same name. */
export type DeductionFilterKey = 'api_key_name' | 'product_type' | 'package_name' | 'package_id';

export interface DeductionQuery {
  /** Task creation time, ms, both ends included. */
  start: number;
  end: number;
  /** Each key's values: a row matches one of them (OR); the keys all apply (AND). */
  filters: Partial<Record<DeductionFilterKey, string[]>>;
  /** Rows after this id: the page's position, see actions/billing-details.ts. */
  afterId: number;
  limit: number;
}

/**
 * Rows in the order they were recorded (the id grows with every commit), so a reader walking the pages sees each
 * row once even while new charges are written: those land after every row already read.
 */
export async function deductionsPage(db: Db, tenantId: string, q: DeductionQuery): Promise<UnitDeduction[]> {
  let query = db.selectFrom('unit_deductions').selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '>', q.afterId)
    .where('task_created_at', '>=', q.start)
    .where('task_created_at', '<=', q.end);
  for (const [key, values] of Object.entries(q.filters) as [DeductionFilterKey, string[]][]) {
    if (values.length) query = query.where(key, 'in', values);
  }
  return query.orderBy('id').limit(q.limit).execute();
}
