// Chooses where media lives: the data directory (the embedded default), or an S3-compatible bucket when
// KILN_STORAGE_URL is set. Renders are always made on the local disk first (ffmpeg writes files); with a bucket,
// a task's outputs are uploaded before the task shows `succeed`, so any process can serve them.

import { LayeredStorage } from './layered-storage.ts';
import type { LocalStorage } from './local-storage.ts';
import { resultFiles } from './result-files.ts';
import type { S3StorageConfig } from './s3-config.ts';
import { S3Storage } from './s3-storage.ts';
import type { Storage } from './storage.ts';
import type { StoredResult } from '../tasks/stored-result.ts';

/** Uploads at once per task: a task has a handful of files, each may go up in parts. */
const UPLOADS_IN_FLIGHT = 4;

export interface MediaStorage {
  /** What media URLs are served from. */
  storage: Storage;
  /** Makes a task's result files readable through `storage`; undefined when they already are (local files). */
  publish?: (taskId: string, result: StoredResult) => Promise<void>;
  close(): void;
}

export function openMediaStorage(local: LocalStorage, s3Config: S3StorageConfig | undefined, secret: string): MediaStorage {
  if (!s3Config) return { storage: local, close: () => {} };
  const s3 = new S3Storage(s3Config, secret);
  return {
    storage: new LayeredStorage(s3, local),
    publish: async (taskId, result) => {
      const names = resultFiles(result);
      for (let i = 0; i < names.length; i += UPLOADS_IN_FLIGHT) {
        await Promise.all(names.slice(i, i + UPLOADS_IN_FLIGHT).map((name) =>
          s3.put(`${taskId}/${name}`, { file: local.resolve(taskId, name)! })));
      }
    },
    close: () => s3.close(),
  };
}
