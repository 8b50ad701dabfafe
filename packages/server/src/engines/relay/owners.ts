// Which upstream account holds an id a relay tenant names: a video or audio a relayed task made, a custom voice or
// element one made, or an editing session, TTS audio or old-API element a relayed call got (store/relayed-ids.ts).
// Only that account knows the id, so the call or task naming it goes there. Undefined: kiln made it (the simulator),
// or no one did.

import { KlingError, referencesOf, SESSION_LIFETIME_MS, type AnyAction } from '@kiln/contract';
import { customAssetMaker } from '../../store/custom-assets.ts';
import type { Db } from '../../store/open.ts';
import { outputMaker } from '../../store/outputs.ts';
import { findRelayedId } from '../../store/relayed-ids.ts';
import { idsAt } from '../../tasks/reference-ids.ts';
import { readRelayState } from './relay-state.ts';
import type { UpstreamConfig } from './upstream.ts';
import type { UpstreamRegistry } from './upstream-registry.ts';

/** What a request may name that an upstream account made, and only that account knows. */
export type NamedKind = 'video' | 'audio' | 'voice' | 'element' | 'session';
const NAMED_KINDS: readonly string[] = ['video', 'audio', 'voice', 'element', 'session'] satisfies NamedKind[];

export type OwnerOf = (tenantId: string, kind: NamedKind, id: string) => Promise<string | undefined>;

export function upstreamOwners(db: Db): OwnerOf {
  return async (tenantId: string, kind: NamedKind, id: string, now = Date.now()) => {
    if (kind === 'session') return (await findRelayedId(db, tenantId, 'session', id, now - SESSION_LIFETIME_MS))?.upstream;
    const maker = kind === 'voice' || kind === 'element' ? await customAssetMaker(db, tenantId, kind, id) : await outputMaker(db, tenantId, kind, id);
    if (maker?.engine === 'relay') return readRelayState(maker.engine_json).upstream;
    // A TTS audio and an element of the old elements API a relayed call got have no task that made them.
    if (kind === 'audio' || kind === 'element') return (await findRelayedId(db, tenantId, kind, id))?.upstream;
    return undefined;
  };
}

/**
 * The upstream holding the first id the request names that an upstream made (a task or call naming it goes there);
 * `unknownSession` when it names an editing session no upstream holds (kiln opened it, or no one did): no upstream
 * can act on it. An id whose account was removed from the registry since is refused, saying so.
 */
export async function namedUpstream(
  deps: { ownerOf: OwnerOf; upstreams: Pick<UpstreamRegistry, 'byName'> },
  tenantId: string, references: AnyAction['references'], body: Record<string, unknown>,
): Promise<{ upstream?: UpstreamConfig } | { unknownSession: { field: string; id: string } }> {
  for (const ref of referencesOf(references, body)) {
    if (!NAMED_KINDS.includes(ref.kind)) continue;
    for (const { field, id } of idsAt(body, ref)) {
      const owner = await deps.ownerOf(tenantId, ref.kind as NamedKind, id);
      if (owner === undefined) {
        if (ref.kind === 'session') return { unknownSession: { field, id } };
        continue;
      }
      const upstream = await deps.upstreams.byName(owner);
      if (!upstream) throw new KlingError(1201, `${field}: '${id}' is held by the upstream account '${owner}', which kiln no longer relays to; nothing was billed`);
      return { upstream };
    }
  }
  return {};
}
