// kiln's own result URLs: `/media/<task>/<name>?e=<expiry s>&s=<signature>`, an HMAC of the key and its expiry.
// They are the public URLs whatever storage holds the bytes (Kling's result URLs expire and are hotlink-protected;
// kiln's stay stable and checkable without a round trip to the backend).

import { createHmac, timingSafeEqual } from 'node:crypto';

export class MediaSigner {
  constructor(private readonly secret: string) {}

  /** The signed path of `<taskId>/<name>`, relative to the public base URL. */
  path(key: string, expiresAtMs: number): string {
    const expires = Math.floor(expiresAtMs / 1000);
    return `/media/${key}?e=${expires}&s=${this.sign(key, expires)}`;
  }

  check(key: string, expires: string | undefined, signature: string | undefined, now = Date.now()): 'ok' | 'expired' | 'invalid' {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.sign(key, Number(expires)));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return Number(expires) * 1000 < now ? 'expired' : 'ok';
  }

  private sign(key: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${key}:${expires}`).digest('base64url').slice(0, 32);
  }
}
