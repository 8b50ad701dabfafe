// Copies the media of a data directory (local storage) into another storage, for `kiln migrate-store --storage`.
// Keys are kept (`<folder>/<name>`), so kiln's URLs handed out before the move still name the same objects. An
// object already in the target with the same size is not sent again: a copy that stopped is resumed by running
// it again.

import fs from 'node:fs';
import type { LocalStorage } from './local-storage.ts';
import type { Storage } from './storage.ts';

export interface MediaCopy {
  /** Objects in the source. */
  objects: number;
  /** Sent by this run (the others were in the target already). */
  sent: number;
  bytes: number;
}

export async function copyMedia(from: LocalStorage, to: Storage, onProgress?: (done: number, total: number) => void): Promise<MediaCopy> {
  const keys: { key: string; file: string; size: number }[] = [];
  for (const folder of fs.readdirSync(from.root, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const entry of fs.readdirSync(`${from.root}/${folder.name}`, { withFileTypes: true })) {
      // Only what kiln could have stored there (resolve checks the key's form): no temporary or hidden files.
      const file = entry.isFile() ? from.resolve(folder.name, entry.name) : undefined;
      if (file) keys.push({ key: `${folder.name}/${entry.name}`, file, size: fs.statSync(file).size });
    }
  }
  let sent = 0;
  let bytes = 0;
  for (const [i, object] of keys.entries()) {
    if ((await to.stat(object.key))?.size !== object.size) {
      await to.put(object.key, { file: object.file });
      sent++;
      bytes += object.size;
    }
    onProgress?.(i + 1, keys.length);
  }
  // Verified: every object is in the target at its size.
  for (const object of keys) {
    const stored = await to.stat(object.key);
    if (stored?.size !== object.size) throw new Error(`media ${object.key} is not in the target storage at its size after the copy`);
  }
  return { objects: keys.length, sent, bytes };
}
