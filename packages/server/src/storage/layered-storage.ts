// Storage that reads from a primary store and falls back to a second one: with S3 configured, task outputs are
// read from the bucket, while media kiln has not uploaded yet (the synchronous endpoints' files: TTS, presets,
// face and image recognition) is still read from the data directory of the process that made it.

import { StorageNotFoundError, type ByteRange, type OpenedObject, type PutSource, type Storage, type StorageUsage } from './storage.ts';

export class LayeredStorage implements Storage {
  constructor(private readonly primary: Storage, private readonly fallback: Storage) {}

  put(key: string, source: PutSource, contentType?: string) {
    return this.primary.put(key, source, contentType);
  }

  async open(key: string, range?: ByteRange): Promise<OpenedObject> {
    try {
      return await this.primary.open(key, range);
    } catch (err) {
      if (!(err instanceof StorageNotFoundError)) throw err;
      return this.fallback.open(key, range);
    }
  }

  async stat(key: string) {
    return (await this.primary.stat(key)) ?? this.fallback.stat(key);
  }

  async exists(key: string) {
    return (await this.primary.exists(key)) || this.fallback.exists(key);
  }

  async remove(key: string) {
    await Promise.all([this.primary.remove(key), this.fallback.remove(key)]);
  }

  async removeTask(taskId: string, names: readonly string[]) {
    await Promise.all([this.primary.removeTask(taskId, names), this.fallback.removeTask(taskId, names)]);
  }

  /**
   * The primary's: the store of record. The fallback (the data directory) also holds working copies of what went up
   * to the primary, so adding it would count those twice; the system page shows it apart.
   */
  usage(): Promise<StorageUsage | undefined> {
    return this.primary.usage();
  }

  url(key: string, expiresAtMs: number) {
    return this.primary.url(key, expiresAtMs);
  }

  checkUrl(key: string, expires: string | undefined, signature: string | undefined, now?: number) {
    return this.primary.checkUrl(key, expires, signature, now);
  }

  async presignedUrl(key: string, expiresInSeconds: number) {
    return (await this.primary.exists(key)) ? this.primary.presignedUrl(key, expiresInSeconds) : undefined;
  }

  ready() {
    return this.primary.ready();
  }
}
