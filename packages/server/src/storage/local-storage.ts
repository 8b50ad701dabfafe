// Media storage on the local disk, the embedded default: outputs live under <data dir>/media/<task id>/ and are
// served by kiln itself through signed, expiring URLs (Kling's result URLs expire after 30 days and are
// hotlink-protected).

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contentTypeOf } from './content-types.ts';
import { MediaSigner } from './media-signer.ts';
import {
  splitKey, StorageNotFoundError, StorageRangeError,
  type ByteRange, type ObjectInfo, type OpenedObject, type PutSource, type Storage, type StorageUsage,
} from './storage.ts';

// Kling's 30-day retention, from the contract.
export { RESULT_LIFETIME_MS } from '@kiln/contract';

export class LocalStorage implements Storage {
  private readonly signer: MediaSigner;

  constructor(
    readonly root: string,
    secret: string,
  ) {
    this.signer = new MediaSigner(secret);
    fs.mkdirSync(root, { recursive: true });
  }

  /** A task's output folder, made on demand: renders and inputs are written there directly. */
  taskDir(taskId: string): string {
    const dir = path.join(this.root, taskId);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The file behind a media path, or undefined when the path is not one kiln could have made. */
  resolve(taskId: string, name: string): string | undefined {
    if (!/^\d{1,20}$/.test(taskId) || !/^[\w.-]{1,100}$/.test(name) || name.startsWith('.')) return undefined;
    return path.join(this.root, taskId, name);
  }

  /** `/media/<task>/<name>?e=<expiry s>&s=<signature>` relative to the public base URL. */
  signedPath(taskId: string, name: string, expiresAtMs: number): string {
    return this.signer.path(`${taskId}/${name}`, expiresAtMs);
  }

  url(key: string, expiresAtMs: number): string {
    return this.signer.path(key, expiresAtMs);
  }

  checkUrl(key: string, expires: string | undefined, signature: string | undefined, now = Date.now()) {
    return this.signer.check(key, expires, signature, now);
  }

  async put(key: string, source: PutSource, _contentType?: string): Promise<{ size: number }> {
    const file = this.fileOf(key);
    if ('file' in source && path.resolve(source.file) === file) return { size: (await fs.promises.stat(file)).size };
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    // Written beside the target under a hidden name, then renamed: a reader sees the old object or the whole new one.
    const partial = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.part`);
    try {
      if ('file' in source) await fs.promises.copyFile(source.file, partial);
      else await pipeline(source, fs.createWriteStream(partial));
      await fs.promises.rename(partial, file);
    } catch (err) {
      await fs.promises.rm(partial, { force: true });
      throw err;
    }
    return { size: (await fs.promises.stat(file)).size };
  }

  async open(key: string, range?: ByteRange): Promise<OpenedObject> {
    const file = this.fileOf(key);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StorageNotFoundError(key);
      throw err;
    }
    try {
      // Size and bytes come from the same open file, so a concurrent put (a rename) cannot mix two versions.
      const { size } = await handle.stat();
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? size - 1, size - 1);
      if (range && (start >= size || start > end)) throw new StorageRangeError(key, size);
      if (end < start) {
        // An empty object: nothing to read, and a read stream cannot end before it starts.
        await handle.close();
        return { body: Readable.from([]), size, contentType: contentTypeOf(key), start, end };
      }
      const body = handle.createReadStream({ start, end, autoClose: true });
      return { body, size, contentType: contentTypeOf(key), start, end };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    try {
      const stat = await fs.promises.stat(this.fileOf(key));
      return stat.isFile() ? { size: stat.size, contentType: contentTypeOf(key) } : undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.fileOf(key), { force: true });
  }

  /** Removes the task's whole folder: the names given, and the inputs and partial renders kept beside them. */
  async removeTask(taskId: string, _names: readonly string[]): Promise<void> {
    if (!/^\d{1,20}$/.test(taskId)) throw new Error(`not a task id: ${JSON.stringify(taskId)}`);
    await fs.promises.rm(path.join(this.root, taskId), { recursive: true, force: true });
  }

  /** Local files are served by kiln itself: there is nothing to redirect to. */
  async presignedUrl(): Promise<string | undefined> {
    return undefined;
  }

  async ready(): Promise<void> {
    await fs.promises.access(this.root, fs.constants.W_OK);
  }

  /** Walks the media folder; files and folders removed while it walks are skipped. Undefined when it cannot be read. */
  async usage(): Promise<StorageUsage | undefined> {
    const total: StorageUsage = { objects: 0, bytes: 0 };
    try {
      await fs.promises.readdir(this.root);
    } catch {
      return undefined;
    }
    const walk = async (dir: string): Promise<void> => {
      const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          await walk(full);
        } else if (entry.isFile()) {
          const size = await fs.promises.stat(full).then((s) => s.size, () => undefined);
          if (size === undefined) continue;
          total.objects += 1;
          total.bytes += size;
        }
      }
    };
    await walk(this.root);
    return total;
  }

  private fileOf(key: string): string {
    const { taskId, name } = splitKey(key);
    return path.join(this.root, taskId, name);
  }
}
