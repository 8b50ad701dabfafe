// How many slots of a pack type kiln lets an upstream account hold at once. The operator's figure (`--concurrency`)
// is the account's resource-pack limit; but an account may also serve others (another gateway, Kling's own console),
// and then it answers 1303 (or 1302) below that figure. Such an answer lowers the limit to what kiln's tasks hold
// there at that moment, and it climbs back by one slot a minute: kiln finds the account's real room without sending
// a burst of creates only to have them refused.

import type { PackType } from '@kiln/contract';

/** A limit the upstream's own refusal set, and when. */
export interface LoweredLimit {
  limit: number;
  at: number;
}

export type LoweredLimits = Partial<Record<PackType, LoweredLimit>>;

export const RAISE_EVERY_MS = 60_000;

/** The limit kiln keeps to now: the operator's, or below it while a lowered one climbs back; undefined: none. */
export function effectiveLimit(configured: number | undefined, lowered: LoweredLimit | undefined, now: number): number | undefined {
  if (!lowered) return configured;
  const climbed = lowered.limit + Math.floor(Math.max(0, now - lowered.at) / RAISE_EVERY_MS);
  return configured === undefined ? climbed : Math.min(configured, climbed);
}

/** The limit after a refusal while kiln's other tasks held `heldByOthers` slots: what the account took, at least 1. */
export function loweredAfterRefusal(heldByOthers: number, now: number): LoweredLimit {
  return { limit: Math.max(1, heldByOthers), at: now };
}

/** The limits kiln keeps to now, per pack type, for listings: only those there are. */
export function effectiveLimits(
  configured: Partial<Record<PackType, number>>, lowered: LoweredLimits, now: number,
): Partial<Record<PackType, number>> {
  const out: Partial<Record<PackType, number>> = {};
  for (const pack of new Set([...Object.keys(configured), ...Object.keys(lowered)]) as Set<PackType>) {
    const limit = effectiveLimit(configured[pack], lowered[pack], now);
    if (limit !== undefined) out[pack] = limit;
  }
  return out;
}
