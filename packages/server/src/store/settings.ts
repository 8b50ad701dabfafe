// Small key/value settings of an installation, such as the secret that signs media URLs.

import { randomBytes } from 'node:crypto';
import type { Db } from './open.ts';

export async function getOrCreateSetting(db: Db, key: string, make: () => string): Promise<string> {
  return (await settingOnce(db, key, make)).value;
}

/** The setting, made now when it was never set; `created` tells whether this call (of all processes) made it. */
async function settingOnce(db: Db, key: string, make: () => string): Promise<{ value: string; created: boolean }> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (row) return { value: row.value, created: false };
  const value = make();
  await db.insertInto('settings').values({ key, value }).onConflict((c) => c.column('key').doNothing()).execute();
  const stored = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return { value: stored.value, created: stored.value === value };
}

export const mediaSigningSecret = (db: Db) =>
  getOrCreateSetting(db, 'media_signing_secret', () => randomBytes(32).toString('base64url'));

/** The operator token of the /admin endpoints when KILN_ADMIN_TOKEN does not set one. */
export const generatedAdminToken = (db: Db) =>
  settingOnce(db, 'admin_token', () => `kadm_${randomBytes(24).toString('base64url')}`);

/** A JSON setting, or `fallback` when it was never set. */
export async function readJsonSetting<T>(db: Db, key: string, fallback: T): Promise<T> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : fallback;
}

export async function writeJsonSetting(db: Db, key: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value);
  await db.insertInto('settings').values({ key, value: text }).onConflict((c) => c.column('key').doUpdateSet({ value: text })).execute();
}
