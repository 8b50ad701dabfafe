// Migration 3: a tenant holds several named credentials (API keys and access-key/secret-key pairs), each revocable
// on its own and stamped with when it was made and last used. The credentials tenants were made with move here,
// named 'default' (API key) and 'default-ak' (AK/SK pair); the tenants table keeps its old columns, no longer read
// for authentication, because SQLite cannot drop a UNIQUE column.

import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.createTable('tenant_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // api_key | access_key
    .addColumn('kind', 'text', (c) => c.notNull())
    // What a request presents, as it is looked up: the API key's SHA-256, or the access key itself.
    .addColumn('lookup', 'text', (c) => c.notNull().unique())
    // The HMAC key of an AK/SK pair's JWTs (kept as given); null for an API key.
    .addColumn('secret_key', 'text')
    .addColumn('created_at', t.ms, (c) => c.notNull())
    .addColumn('last_used_at', t.ms)
    .addColumn('revoked_at', t.ms)
    .execute();
  // Names are unique among live keys: a revoked key keeps its name in listings, and the name can be given again.
  await sql`CREATE UNIQUE INDEX tenant_keys_name ON tenant_keys (tenant_id, name) WHERE revoked_at IS NULL`.execute(db);
  await sql`INSERT INTO tenant_keys (id, tenant_id, name, kind, lookup, secret_key, created_at)
            SELECT id || ':api', id, 'default', 'api_key', api_key_hash, NULL, created_at FROM tenants`.execute(db);
  await sql`INSERT INTO tenant_keys (id, tenant_id, name, kind, lookup, secret_key, created_at)
            SELECT id || ':ak', id, 'default-ak', 'access_key', access_key, secret_key, created_at FROM tenants`.execute(db);
}
