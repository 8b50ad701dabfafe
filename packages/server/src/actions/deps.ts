// What the synchronous endpoints' handlers need from the server (store, media storage, the guarded fetcher), and the
// small things they share: signed media URLs, the contract's action definitions, billing a call's units.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { actions, formatUnits, KlingError, type AnyAction } from '@kiln/contract';
import type { Transaction } from 'kysely';
import type { Db } from '../store/open.ts';
import { chargeUnits, hasUnitsLeft } from '../store/resource-packs.ts';
import type { Database } from '../store/schema.ts';
import type { TaskStore } from '../store/tasks.ts';
import type { Tenant } from '../store/tenants.ts';
import { StorageNotFoundError, type Storage } from '../storage/storage.ts';
import { copyStoredObject } from '../storage/local-copies.ts';
import type { UrlMaker } from '../tasks/serialize.ts';

export interface ActionDeps {
  db: Db;
  /** Task rows go through the store, whose cache serves queries (delete-elements marks the element's task). */
  tasks: TaskStore;
  urls: UrlMaker;
  /** Where the media a call makes is kept and served from: the data directory, or a bucket every process reads. */
  storage: Storage;
  /** GETs a client's URL with the server's address guard, failing past `maxBytes`. */
  fetchInput: (url: string, maxBytes: number) => Promise<Buffer>;
}

/** A contract action by name; the handlers read its rules' data (units, plan, reference windows) from there. */
export function actionNamed(name: string): AnyAction {
  const action = actions.find((a) => a.name === name);
  if (!action) throw new Error(`the contract has no action ${name}`);
  return action;
}

/** A local working folder (a task's, a session's, a call's), made on demand: renders are written there first. */
export const mediaDir = (deps: ActionDeps, folder: string) => deps.urls.storage.taskDir(folder);

/** The public, signed URL of a file in a media folder, valid until `expiresAt` (ms). */
export function mediaUrl(deps: ActionDeps, folder: string, file: string, expiresAt: number): string {
  return deps.urls.publicUrl() + deps.urls.storage.signedPath(folder, file, expiresAt);
}

/**
 * Puts files a call rendered into its working folder into storage, so its URLs work from any process. With local
 * storage the working folder is the storage, and this costs nothing.
 */
export async function storeMedia(deps: ActionDeps, folder: string, names: readonly string[]): Promise<void> {
  await Promise.all(names.map((name) => deps.storage.put(`${folder}/${name}`, { file: path.join(mediaDir(deps, folder), name) })));
}

/** Puts bytes a call made in memory (an image it drew) into storage, as `<folder>/<name>`. */
export async function putMedia(deps: ActionDeps, folder: string, name: string, bytes: Buffer): Promise<void> {
  await deps.storage.put(`${folder}/${name}`, Readable.from([bytes]));
}

/**
 * Copies a stored object into a local file (ffmpeg reads paths); false when storage holds nothing under the key.
 * The caller owns the file and removes it.
 */
export function copyToLocal(deps: ActionDeps, key: string, file: string): Promise<boolean> {
  return copyStoredObject(deps.storage, key, file);
}

/**
 * Runs `use` with a local file holding the stored object `<folder>/<name>` (ffmpeg reads paths). The working
 * folder's copy serves when this process made one (stored media never changes under its key); otherwise the object
 * is copied from storage into a temporary file beside it, removed afterwards. Rejects with StorageNotFoundError when
 * storage holds nothing under the key.
 */
export async function withLocalCopy<T>(deps: ActionDeps, folder: string, name: string, use: (file: string) => Promise<T>): Promise<T> {
  const own = path.join(mediaDir(deps, folder), name);
  if (await fs.access(own).then(() => true, () => false)) return use(own);
  const copy = path.join(mediaDir(deps, folder), `.copy-${randomBytes(6).toString('hex')}-${name}`);
  try {
    if (!(await copyToLocal(deps, `${folder}/${name}`, copy))) throw new StorageNotFoundError(`${folder}/${name}`);
    return await use(copy);
  } finally {
    await fs.rm(copy, { force: true });
  }
}

/** Removes a media folder a failed call had started to fill, and whatever of it had reached storage. */
export async function removeMediaDir(deps: ActionDeps, folder: string, names: readonly string[] = []): Promise<void> {
  await fs.rm(path.join(deps.urls.storage.root, folder), { recursive: true, force: true });
  if (names.length) await deps.storage.removeTask(folder, names);
}

/**
 * Billed calls (identify-face, image-recognize, TTS: spec §1.10) draw on the video packs, where Kling's price list
 * puts them. Checked before the work, as a task create is, so a tenant out of units is refused with 1102.
 */
export async function ensureUnits(deps: ActionDeps, tenant: Tenant, units: number): Promise<void> {
  if (units > 0 && !(await hasUnitsLeft(deps.db, tenant.id, 'video'))) {
    throw new KlingError(1102, 'resource pack depleted or expired: no video units left');
  }
}

/**
 * Charges a finished call's units (with whatever else must commit with them); answers `final_unit_deduction`.
 * `call` names the action, the id the caller was shown and when the call began, for the deduction details (spec §6.2).
 */
export async function chargeCall(
  deps: ActionDeps,
  tenant: Tenant,
  units: number,
  alongside: ((trx: Transaction<Database>) => Promise<void>) | undefined,
  call: { action: string; taskId: string; at: number },
): Promise<string> {
  await deps.db.transaction().execute(async (trx) => {
    await alongside?.(trx);
    if (units > 0) await chargeUnits(trx, tenant.id, 'video', units, { call });
  });
  return formatUnits(units);
}

/** Turns a media helper's plain Error about a client's input into a 1201 naming the field. */
export function inputError(field: string, error: unknown): KlingError {
  if (error instanceof KlingError) return error;
  const message = (error as Error).message ?? String(error);
  return new KlingError(1201, message.startsWith(`${field}:`) ? message : `${field}: ${message}`);
}
