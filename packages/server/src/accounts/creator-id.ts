// `owned_by` of a custom voice or element: Kling shows "kling" for its own library and "the creator ID", a number,
// for a user's. Kiln's tenants have UUIDs, so each gets a stable number made from its id (at most 16 digits, within
// a JSON number's exact range, though it is sent as a string like every Kling id).

import { createHash } from 'node:crypto';

export function creatorId(tenantId: string): string {
  return BigInt(`0x${createHash('sha256').update(tenantId).digest('hex').slice(0, 13)}`).toString();
}
