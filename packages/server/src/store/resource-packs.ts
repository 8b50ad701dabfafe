// Resource packs (spec §6.1): each tenant holds prepaid packs per type (video, image, try-on). A succeeded task
// uses up its units from the tenant's live packs of its type, the one expiring first first; failed tasks cost
// nothing. A tenant whose live packs of a type are all used up is refused new tasks of that type with 1102.

import { randomUUID } from 'node:crypto';
import type { PackType } from '@kiln/contract';
import { sql, type Transaction } from 'kysely';
import type { Db } from './open.ts';
import type { Database, ResourcePacksTable } from './schema.ts';
import { recordDeduction } from './deductions.ts';
import { deductionSubject, type Billed } from '../tasks/deduction-subject.ts';

export type ResourcePack = ResourcePacksTable;

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** What a new tenant starts with, unless the operator says otherwise: generous, a year long. */
export const STARTER_PACKS: { type: PackType; units: number }[] = [
  { type: 'video', units: 100_000 },
  { type: 'image', units: 100_000 },
  { type: 'try-on', units: 10_000 },
];

export async function addPack(
  db: Db | Transaction<Database>,
  tenantId: string,
  pack: { type: PackType; units: number; name?: string; validMs?: number },
  now = Date.now(),
): Promise<ResourcePack> {
  const row: ResourcePack = {
    id: randomUUID(),
    tenant_id: tenantId,
    name: pack.name ?? `kiln ${pack.type} pack`,
    type: pack.type,
    pack_type: 'decreasing_total',
    total_quantity: pack.units,
    remaining_quantity: pack.units,
    purchase_time: now,
    effective_time: now,
    invalid_time: now + (pack.validMs ?? YEAR_MS),
  };
  await db.insertInto('resource_packs').values(row).execute();
  return row;
}

export async function packsOf(db: Db, tenantId: string): Promise<ResourcePack[]> {
  return db.selectFrom('resource_packs').selectAll().where('tenant_id', '=', tenantId).orderBy('invalid_time').execute();
}

/** Kling's pack status at `now`: toBeOnline, online, expired or runOut. */
export function packStatus(pack: ResourcePack, now = Date.now()): 'toBeOnline' | 'online' | 'expired' | 'runOut' {
  if (now < pack.effective_time) return 'toBeOnline';
  if (now >= pack.invalid_time) return 'expired';
  return pack.remaining_quantity <= 0 ? 'runOut' : 'online';
}

/** True when the tenant has no packs of the type at all (no billing) or one of them is online. */
export async function hasUnitsLeft(db: Db, tenantId: string, type: PackType, now = Date.now()): Promise<boolean> {
  const packs = await db.selectFrom('resource_packs').selectAll()
    .where('tenant_id', '=', tenantId).where('type', '=', type).execute();
  return packs.length === 0 || packs.some((p) => packStatus(p, now) === 'online');
}

/**
 * Takes `units` from the tenant's online packs of the type, earliest expiry first, inside the charge's transaction,
 * and records what each pack gave (spec §6.2 deduction details) in the same commit: a charge and its record cannot
 * part.
 */
export async function chargeUnits(
  trx: Transaction<Database>,
  tenantId: string,
  type: string,
  units: number,
  billed: Billed,
  now = Date.now(),
): Promise<void> {
  let left = units;
  const packs = await trx.selectFrom('resource_packs').selectAll()
    .where('tenant_id', '=', tenantId).where('type', '=', type)
    .where('effective_time', '<=', now).where('invalid_time', '>', now).where('remaining_quantity', '>', 0)
    .orderBy('invalid_time').execute();
  const subject = packs.length && units > 0 ? deductionSubject(billed) : undefined;
  // The key name as it is when charged, as a statement line would keep it.
  const tenant = subject && await trx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirst();
  for (const pack of packs) {
    if (left <= 0 || !subject) break;
    const charged = await takeFromPack(trx, pack.id, left, pack.remaining_quantity);
    if (!charged) continue;
    await recordDeduction(trx, {
      ...subject,
      tenant_id: tenantId,
      api_key_name: tenant?.name ?? '',
      refer_video_input: subject.refer_video_input ? 1 : 0,
      voice_control: subject.voice_control ? 1 : 0,
      package_id: pack.id,
      package_name: pack.name,
      product_type: pack.type,
      unit_before: charged.before,
      amount: charged.take,
      unit_after: charged.after,
      deduction_time: subject.deduction_time ?? now,
    });
    left = roundUnits(left - charged.take);
  }
  // A last task may take a pack slightly past zero worth of units; Kling lets the running task finish too.
}

const roundUnits = (units: number) => Math.round(units * 100) / 100;

/**
 * Takes up to `wanted` units from one pack in SQL (`remaining_quantity - take`, guarded by `remaining_quantity >=
 * take`), never by writing back a balance computed from an earlier read: a charge another process made meanwhile is
 * kept. When the guard fails (the pack has less than this charge read), the pack is read again and the charge
 * retried with what is there. Returns undefined when the pack has nothing left.
 */
async function takeFromPack(trx: Transaction<Database>, packId: string, wanted: number, seen: number) {
  let remaining = seen;
  while (remaining > 0) {
    const take = roundUnits(Math.min(wanted, remaining));
    const row = await trx.updateTable('resource_packs')
      .set({ remaining_quantity: sql<number>`ROUND(remaining_quantity - ${take}, 2)` })
      .where('id', '=', packId).where('remaining_quantity', '>=', take)
      .returning('remaining_quantity').executeTakeFirst();
    if (row) {
      const after = Number(row.remaining_quantity);
      return { take, after, before: roundUnits(after + take) };
    }
    const now = await trx.selectFrom('resource_packs').select('remaining_quantity').where('id', '=', packId).executeTakeFirst();
    remaining = Number(now?.remaining_quantity ?? 0);
  }
  return undefined;
}

/**
 * The units left in the tenant's packs (of one type, or all of them), as a number: what a billed call lowers by
 * its units. Summed whatever the column's type, so callers never see how a balance is stored.
 */
export async function unitsLeft(db: Db, tenantId: string, type?: PackType): Promise<number> {
  let query = db.selectFrom('resource_packs').select('remaining_quantity').where('tenant_id', '=', tenantId);
  if (type) query = query.where('type', '=', type);
  return (await query.execute()).reduce((sum, p) => sum + Number(p.remaining_quantity), 0);
}
