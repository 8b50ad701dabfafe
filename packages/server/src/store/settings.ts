// Small key/value settings of an installation, such as the secret that signs media URLs.

import { randomBytes } from 'node:crypto';
import type { Db } from './open.ts';

export async function getOrCreateSetting(db: Db, key: string, make: () => string): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (row) return row.value;
  const value = make();
  await db.insertInto('settings').values({ key, value }).onConflict((c) => c.column('key').doNothing()).execute();
  const stored = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return stored.value;
}

export const mediaSigningSecret = (db: Db) =>
  getOrCreateSetting(db, 'media_signing_secret', () => randomBytes(32).toString('base64url'));

/** The operator token of the /admin endpoints when KILN_ADMIN_TOKEN does not set one. */
export const generatedAdminToken = (db: Db) =>
  getOrCreateSetting(db, 'admin_token', () => `kadm_${randomBytes(24).toString('base64url')}`);

/** A JSON setting, or `fallback` when it was never set. */
export async function readJsonSetting<T>(db: Db, key: string, fallback: T): Promise<T> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : fallback;
}

export async function writeJsonSetting(db: Db, key: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value);
  await db.insertInto('settings').values({ key, value: text }).onConflict((c) => c.column('key').doUpdateSet({ value: text })).execute();
}
