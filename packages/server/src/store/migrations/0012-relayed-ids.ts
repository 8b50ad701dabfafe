// Migration 12: the ids a relay tenant's synchronous calls got from an upstream account (an editing session of
// identify-face or init-selection, a TTS audio), and which account holds each: a later call or task that names the
// id goes to that account, the only one that knows it (engines/relay/relay-actions.ts).

import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.createTable('relayed_ids')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('upstream', 'text', (c) => c.notNull())
    // What kiln checks a later request against (a session's kind), JSON.
    .addColumn('detail_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', t.ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('relayed_ids_pk', ['tenant_id', 'kind', 'id'])
    .execute();
}
