// Which upstream account holds an id a relay tenant names: a video or audio a relayed task made, a custom voice or
// element one made, or an editing session or TTS audio a relayed call got (store/relayed-ids.ts). Only that account
// knows the id, so the call or task naming it goes there. Undefined: kiln made it (the simulator), or no one did.

import { SESSION_LIFETIME_MS } from '@kiln/contract';
import { customAssetMaker } from '../../store/custom-assets.ts';
import type { Db } from '../../store/open.ts';
import { outputMaker } from '../../store/outputs.ts';
import { findRelayedId } from '../../store/relayed-ids.ts';
import type { NamedKind } from './relay-actions.ts';
import { readRelayState } from './relay-state.ts';

export function upstreamOwners(db: Db): (tenantId: string, kind: NamedKind, id: string, now?: number) => Promise<string | undefined> {
  return async (tenantId, kind, id, now = Date.now()) => {
    if (kind === 'session') return (await findRelayedId(db, tenantId, 'session', id, now - SESSION_LIFETIME_MS))?.upstream;
    const maker = kind === 'voice' || kind === 'element' ? await customAssetMaker(db, tenantId, kind, id) : await outputMaker(db, tenantId, kind, id);
    if (maker?.engine === 'relay') return readRelayState(maker.engine_json).upstream;
    // A TTS audio a relayed call got is an output without a task.
    if (kind === 'audio') return (await findRelayedId(db, tenantId, 'audio', id))?.upstream;
    return undefined;
  };
}
