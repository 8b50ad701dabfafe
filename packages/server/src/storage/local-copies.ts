// Local files of stored objects for a render step: ffmpeg reads paths, while another task's output (the video a
// video-extend continues, a session's video) may live only in a bucket. Each copy is made on demand in the task's
// working folder and removed when the step ends.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { LocalStorage } from './local-storage.ts';
import { StorageNotFoundError, storageKey, type Storage } from './storage.ts';

export class LocalCopies {
  private readonly made: string[] = [];

  constructor(private readonly storage: Storage, private readonly local: LocalStorage, private readonly dir: string) {}

  /** A local file holding `<taskId>/<name>`, or undefined when storage holds nothing there. */
  async fileOf(taskId: string, name: string): Promise<string | undefined> {
    const key = storageKey(taskId, name);
    const own = this.local.resolve(taskId, name);
    if (!key || !own) return undefined;
    // This process's own file serves as is: stored media never changes under its key (and locally it is the storage).
    if (await fs.promises.access(own).then(() => true, () => false)) return own;
    // A hidden name: never one of the task's results, and never served by a media URL.
    const copy = path.join(this.dir, `.stored-${taskId}-${randomBytes(4).toString('hex')}-${name}`);
    this.made.push(copy);
    return (await copyStoredObject(this.storage, key, copy)) ? copy : undefined;
  }

  /** Removes every copy made. */
  async removeAll(): Promise<void> {
    await Promise.all(this.made.splice(0).map((file) => fs.promises.rm(file, { force: true })));
  }
}

/** Copies a stored object into a local file; false when storage holds nothing under the key. */
export async function copyStoredObject(storage: Storage, key: string, file: string): Promise<boolean> {
  let opened;
  try {
    opened = await storage.open(key);
  } catch (error) {
    if (error instanceof StorageNotFoundError) return false;
    throw error;
  }
  await pipeline(opened.body, fs.createWriteStream(file));
  return true;
}
