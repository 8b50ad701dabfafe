// The upstreams the relay may use, read from the store (`kiln upstream`, /admin/upstreams) and kept for a moment:
// every create and step asks, and a short cache keeps that from being a query each time, while an upstream added or
// changed by another process is seen within a second. A change made through this process is seen at once (refresh).

import type { UpstreamConfig } from './upstream.ts';

const CACHE_MS = 1_000;

export class UpstreamRegistry {
  private cached?: { at: number; upstreams: Promise<UpstreamConfig[]> };

  constructor(private readonly load: () => Promise<UpstreamConfig[]>, private readonly cacheMs = CACHE_MS) {}

  async all(now = Date.now()): Promise<UpstreamConfig[]> {
    if (!this.cached || now - this.cached.at >= this.cacheMs) {
      const upstreams = this.load();
      this.cached = { at: now, upstreams };
      // A failed read is not kept: the next question reads again.
      upstreams.catch(() => { if (this.cached?.upstreams === upstreams) this.cached = undefined; });
    }
    return this.cached.upstreams;
  }

  async byName(name: string): Promise<UpstreamConfig | undefined> {
    return (await this.all()).find((u) => u.name === name);
  }

  /** Forgets the cached list: the next question reads the store. */
  refresh(): void {
    this.cached = undefined;
  }
}
