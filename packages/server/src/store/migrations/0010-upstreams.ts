// Migration 10: the registry of upstreams — the Kling accounts (Kling itself, resellers) the relay sends tasks to —
// so operators manage them while servers run (`kiln upstream`, /admin/upstreams) instead of one account in the
// environment. Secrets are stored encrypted (secret-box.ts); lists (models, families, endpoint paths, concurrency)
// are JSON text.

import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.createTable('upstreams')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('base_url', 'text', (c) => c.notNull())
    // official | kling | endpoint
    .addColumn('path_style', 'text', (c) => c.notNull())
    .addColumn('endpoint_path', 'text')
    .addColumn('endpoint_paths_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('concurrency_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('models_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('families_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    // archive | passthrough
    .addColumn('results', 'text', (c) => c.notNull().defaultTo('archive'))
    // The access key names the key in JWTs (no secret); the secrets are AES-256-GCM ciphertexts, or null.
    .addColumn('access_key', 'text')
    .addColumn('api_key_enc', 'text')
    .addColumn('secret_key_enc', 'text')
    .addColumn('webhook_secret_enc', 'text')
    .addColumn('created_at', t.ms, (c) => c.notNull())
    .addColumn('updated_at', t.ms, (c) => c.notNull())
    .execute();
}
