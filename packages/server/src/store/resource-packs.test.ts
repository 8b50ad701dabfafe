// Pack charges are computed in SQL: a charge made by another process between a charge's read of the packs and its
// write is kept, not overwritten with a balance computed from the earlier read (what PostgreSQL's read committed
// lets happen). The other process's charges are made on the same connection while the charge runs.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SelectQueryNode, TableNode, type KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrate } from './migrations.ts';
import { addPack, chargeUnits } from './resource-packs.ts';
import type { Database } from './schema.ts';
import { KilnSqliteDialect } from './sqlite-dialect.ts';

let dir: string;
let sqlite: SQLite.Database;
let db: Kysely<Database>;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-packs-'));
  sqlite = new SQLite(path.join(dir, 'kiln.db'));
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** After each read of resource_packs, "another process" takes 1 unit from the pack, while budget lasts. */
function otherProcessCharges(packId: string, budget: number): KyselyPlugin & { made: () => number } {
  const packReads = new Set<unknown>();
  let made = 0;
  return {
    made: () => made,
    transformQuery(args) {
      const node = args.node;
      if (SelectQueryNode.is(node) && node.from?.froms.some((f) => TableNode.is(f) && f.table.identifier.name === 'resource_packs')) {
        packReads.add(args.queryId);
      }
      return node;
    },
    async transformResult(args) {
      if (packReads.delete(args.queryId) && made < budget) {
        sqlite.prepare('UPDATE resource_packs SET remaining_quantity = remaining_quantity - 1 WHERE id = ?').run(packId);
        made++;
      }
      return args.result;
    },
  };
}

it('keeps every one of many concurrent charges: the balance is the start less all of them', async () => {
  const base = new Kysely<Database>({ dialect: new KilnSqliteDialect(sqlite) });
  await migrate(base);
  await base.insertInto('tenants').values({
    id: 't1', name: 'acme', api_key_hash: 'h', access_key: 'ak', secret_key: 'sk', webhook_secret: null,
    limit_video: 5, limit_image: 5, limit_try_on: 5, timing_profile: null, engine: 'simulator', created_at: Date.now(),
  }).execute();
  const pack = await addPack(base, 't1', { type: 'video', units: 1000 });
  const other = otherProcessCharges(pack.id, 40);
  db = base.withPlugin(other);

  const charges = Array.from({ length: 40 }, (_, i) => db.transaction().execute((trx) =>
    chargeUnits(trx, 't1', 'video', 2.5, { call: { action: 'tts', taskId: `call-${i}`, at: Date.now() } })));
  await Promise.all(charges);

  expect(other.made()).toBe(40);
  const left = await db.selectFrom('resource_packs').select('remaining_quantity').executeTakeFirstOrThrow();
  expect(left.remaining_quantity).toBe(1000 - 40 * 2.5 - 40);
  const recorded = await db.selectFrom('unit_deductions').select(['amount', 'unit_before', 'unit_after']).execute();
  expect(recorded).toHaveLength(40);
  expect(recorded.reduce((sum, r) => sum + r.amount, 0)).toBe(100);
  for (const r of recorded) expect(r.unit_before - r.unit_after).toBeCloseTo(2.5, 6);
});
