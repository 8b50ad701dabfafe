// Media storage on the local disk: outputs live under <data dir>/media/<task id>/ and are served by kiln itself
// through signed, expiring URLs (Kling's result URLs expire after 30 days and are hotlink-protected).

import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// Kling's 30-day retention, from the contract.
export { RESULT_LIFETIME_MS } from '@kiln/contract';

export class LocalStorage {
  constructor(
    readonly root: string,
    private readonly secret: string,
  ) {
    fs.mkdirSync(root, { recursive: true });
  }

  /** A task's output folder, made on demand. */
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
    const expires = Math.floor(expiresAtMs / 1000);
    return `/media/${taskId}/${name}?e=${expires}&s=${this.sign(taskId, name, expires)}`;
  }

  verify(taskId: string, name: string, expires: string | undefined, signature: string | undefined, now = Date.now()): 'ok' | 'expired' | 'invalid' {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.sign(taskId, name, Number(expires)));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return Number(expires) * 1000 < now ? 'expired' : 'ok';
  }

  private sign(taskId: string, name: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${taskId}/${name}:${expires}`).digest('base64url').slice(0, 32);
  }
}
