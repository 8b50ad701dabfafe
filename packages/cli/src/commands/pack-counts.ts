// `--concurrency` values of the operator commands: slots per pack type, with the contract's pack types and bounds
// (the server refuses anything else the same way).

import { InvalidArgumentError } from 'commander';
import { CONCURRENCY_LIMITS, PACK_TYPES, type PackType } from '@kiln/sdk/contract';

export type PackTypeName = PackType;

/** A count of slots, within the contract's CONCURRENCY_LIMITS (1 to 10000). */
export function slots(value: string): number {
  const n = Number(value);
  const { min, max } = CONCURRENCY_LIMITS;
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
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
