// Usage for the console: units charged per UTC day and per family and model (from the unit deduction records, so it
// adds up to what the packs lost), and concurrency slots in use per pack type.

import type { ConsoleUsage } from '@kiln/contract';
import type { Db } from './open.ts';

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last `days` UTC days up to and including today's. */
export async function unitsPerDay(db: Db, tenantId: string, days: number, now = Date.now()): Promise<ConsoleUsage> {
  const firstDay = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  const labels = Array.from({ length: days }, (_, i) => dayOf(firstDay + i * DAY_MS));
  const rows = await db.selectFrom('unit_deductions')
    .select(['deduction_time', 'product_function', 'model_name', 'amount'])
    .where('tenant_id', '=', tenantId).where('deduction_time', '>=', firstDay)
    .execute();
  // Grouped here rather than in SQL: day arithmetic differs between SQLite and PostgreSQL, and a tenant's charges
  // over 90 days are few enough to read.
  const series = new Map<string, { family: string; model: string; units: number[] }>();
  let total = 0;
  for (const row of rows) {
    const key = `${row.product_function}\u0000${row.model_name}`;
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { family: row.product_function, model: row.model_name, units: labels.map(() => 0) }));
    const index = Math.floor((Number(row.deduction_time) - firstDay) / DAY_MS);
    if (index < 0 || index >= days) continue;
    entry.units[index] = round(entry.units[index] + Number(row.amount));
    total = round(total + Number(row.amount));
  }
  const ordered = [...series.values()].sort((a, b) => a.family.localeCompare(b.family) || a.model.localeCompare(b.model));
  return { days: labels, series: ordered, total };
}

/** Units are kept to cents: sums stay exact in binary floating point only when rounded as they go. */
const round = (units: number) => Math.round(units * 100) / 100;

