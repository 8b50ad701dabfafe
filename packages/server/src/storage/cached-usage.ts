// The storage's usage for the operator's system page, which polls every few seconds: counting lists the whole
// backend, so a count is reused for a while and refreshed in the background once stale (the page shows when it was
// measured). One count runs at a time, however many pages are open.

import type { Storage, StorageUsage } from './storage.ts';

export interface MeasuredUsage {
  /** Null when the backend would not list its objects. */
  objects: number | null;
  bytes: number | null;
  measured_at: number;
}

export function cachedUsage(storage: Pick<Storage, 'usage'>, maxAgeMs = 60_000, now = Date.now): () => Promise<MeasuredUsage> {
  let last: MeasuredUsage | undefined;
  let counting: Promise<void> | undefined;
  const count = () => (counting ??= storage.usage()
    .catch((): StorageUsage | undefined => undefined)
    .then((usage) => {
      last = { objects: usage?.objects ?? null, bytes: usage?.bytes ?? null, measured_at: now() };
    })
    .finally(() => {
      counting = undefined;
    }));
  return async () => {
    if (!last) await count();
    else if (now() - last.measured_at > maxAgeMs) void count();
    return last!;
  };
}
