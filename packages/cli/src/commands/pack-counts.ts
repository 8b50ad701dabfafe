// `--concurrency` values of the operator commands: slots per pack type (video, image, try-on, as the contract's
// PACK_TYPES; the CLI reads them here because it loads no contract code before the server package).

import { InvalidArgumentError } from 'commander';

export const PACK_TYPES = ['video', 'image', 'try-on'] as const;
export type PackTypeName = (typeof PACK_TYPES)[number];
/** As the contract's CONCURRENCY_LIMITS: the server refuses anything else with the same bounds. */
const MAX_SLOTS = 10_000;

/** A count of slots, 1 to 10000. */
export function slots(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SLOTS) throw new InvalidArgumentError(`must be an integer from 1 to ${MAX_SLOTS}`);
  return n;
}

/** `video=5,image=10,try-on=2` → slots per pack type; `hint` says what else the flag takes. */
export function packCounts(value: string, hint = 'give type=n pairs: video=5,image=10,try-on=2'): Partial<Record<PackTypeName, number>> {
  const out: Partial<Record<PackTypeName, number>> = {};
  for (const part of value.split(',').map((p) => p.trim())) {
    const [pack, n] = part.split('=');
    if (!(PACK_TYPES as readonly string[]).includes(pack) || n === undefined) throw new InvalidArgumentError(hint);
    out[pack as PackTypeName] = slots(n);
  }
  return out;
}
