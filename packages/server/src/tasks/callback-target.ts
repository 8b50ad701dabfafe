// Refuses, at create, a callback_url that points at this machine or a private network when the operator disallows
// private URLs: otherwise the task is accepted and every delivery is silently dropped later.

import net from 'node:net';
import { KlingError } from '@kiln/contract';
import { isPrivateAddress } from '../net/address-guard.ts';

/**
 * Only what the URL itself says is checked here: a literal loopback/private/link-local IP (in any spelling the URL
 * parser normalises, such as `http://2130706433/`) or `localhost`. A name is not resolved at create — DNS can
 * change between now and delivery, and a lookup would let a create probe the network; a name that resolves to a
 * private address is still refused at delivery, where the address guard checks the address actually connected to.
 */
export function assertCallbackTargetAllowed(callbackUrl: string | null, allowPrivate: boolean): void {
  if (!callbackUrl || allowPrivate) return;
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return; // the schema has already refused what is not a URL
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  const local = host === 'localhost' || host.endsWith('.localhost') || (net.isIP(host) !== 0 && isPrivateAddress(host));
  if (local) {
    throw new KlingError(1201, `callback_url: ${url.hostname} is a loopback or private address; callbacks are delivered to public addresses only`);
  }
}
