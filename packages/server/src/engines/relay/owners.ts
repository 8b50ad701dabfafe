// Which upstream account holds an id a relay tenant names, and under which id it knows it: a video or audio a
// relayed task made, a custom voice or element one made, or an editing session, TTS audio or old-API element a
// relayed call got (store/relayed-ids.ts). The tenant only ever sees kiln's ids; the upstream's are kept beside them
// (the stored result's `upstreamId`, a relayed id's detail) and put back into what goes upstream (id-map.ts). Only
// that account knows the id, so the call or task naming it goes there. Undefined: kiln made it (the simulator), or
// no one did.

import { KlingError, referencesOf, SESSION_LIFETIME_MS, type AnyAction } from '@kiln/contract';
import { customAssetMaker } from '../../store/custom-assets.ts';
import type { Db } from '../../store/open.ts';
import { outputMaker } from '../../store/outputs.ts';
import { findRelayedId, type RelayedId } from '../../store/relayed-ids.ts';
import { idsAt } from '../../tasks/reference-ids.ts';
import type { StoredResult } from '../../tasks/stored-result.ts';
import { readRelayState } from './relay-state.ts';
import type { UpstreamConfig } from './upstream.ts';
import type { UpstreamRegistry } from './upstream-registry.ts';

/** What a request may name that an upstream account made, and only that account knows. */
export type NamedKind = 'video' | 'audio' | 'voice' | 'element' | 'session';
export const NAMED_KINDS: readonly string[] = ['video', 'audio', 'voice', 'element', 'session'] satisfies NamedKind[];

/** The account holding an id kiln gave, and the account's own id for it. */
export interface Held {
  upstream: string;
  upstreamId: string;
  /** An identify-face session's faces: kiln's face id → the upstream's. */
  faces?: Record<string, string>;
  /** A session's video, as the tenant named it when opening it: a task made in the session shows it as its parent. */
  source?: SessionSource;
}

export interface SessionSource {
  video_id?: string;
  video_url?: string;
}

export type OwnerOf = (tenantId: string, kind: NamedKind, id: string) => Promise<Held | undefined>;

export function upstreamOwners(db: Db): OwnerOf {
  return async (tenantId: string, kind: NamedKind, id: string, now = Date.now()) => {
    if (kind === 'session') return heldAs(await findRelayedId(db, tenantId, 'session', id, now - SESSION_LIFETIME_MS));
    const maker = kind === 'voice' || kind === 'element' ? await customAssetMaker(db, tenantId, kind, id) : await outputMaker(db, tenantId, kind, id);
    if (maker?.engine === 'relay') return { upstream: readRelayState(maker.engine_json).upstream, upstreamId: upstreamIdIn(maker.result_json, kind, id) };
    // A TTS audio and an element of the old elements API a relayed call got have no task that made them.
    if (kind === 'audio' || kind === 'element') return heldAs(await findRelayedId(db, tenantId, kind, id));
    return undefined;
  };
}

/** A relayed id's account and upstream id (rows kept before kiln gave ids of its own have the upstream's as theirs). */
function heldAs(row: RelayedId | undefined): Held | undefined {
  if (!row) return undefined;
  const { upstreamId, faces, source } = JSON.parse(row.detail_json) as Pick<Held, 'upstreamId' | 'faces' | 'source'>;
  return { upstream: row.upstream, upstreamId: upstreamId ?? row.id, ...(faces ? { faces } : {}), ...(source ? { source } : {}) };
}

/** The upstream's id of a relayed task's output, voice or element, by kiln's id, from the task's stored result. */
function upstreamIdIn(resultJson: string | null, kind: Exclude<NamedKind, 'session'>, id: string): string {
  const result = (resultJson ? JSON.parse(resultJson) : {}) as StoredResult;
  const elements = result.elements ?? [];
  const shown: { id: string; upstreamId?: string }[] = {
    video: result.videos ?? [],
    audio: result.audios ?? [],
    voice: [...(result.voices ?? []), ...elements.flatMap((e) => (e.voice ? [e.voice] : []))],
    element: elements,
  }[kind];
  return shown.find((item) => item.id === id)?.upstreamId ?? id;
}

/** What a request names that upstreams hold: the account they are on, and each kiln id's upstream id, by kind. */
export interface NamedIds {
  upstream?: UpstreamConfig;
  held: UpstreamIds;
  /** The video the named editing session was opened on, as the tenant named it. */
  sessionVideo?: SessionSource;
}

/** `kind:kiln id` → the upstream's id. */
export type UpstreamIds = ReadonlyMap<string, string>;
export const heldKey = (kind: string, id: string) => `${kind}:${id}`;

/**
 * The upstream holding the ids the request names that an upstream made (a task or call naming them goes there), and
 * their upstream ids; `unknownSession` when it names an editing session no upstream holds (kiln opened it, or no one
 * did): no upstream can act on it. An id whose account was removed from the registry since is refused, saying so, as
 * is a request naming ids two accounts hold (neither could act on the other's); neither refusal names an account.
 */
export async function namedUpstream(
  deps: { ownerOf: OwnerOf; upstreams: Pick<UpstreamRegistry, 'byName'> },
  tenantId: string, references: AnyAction['references'], body: Record<string, unknown>,
): Promise<NamedIds | { unknownSession: { field: string; id: string } }> {
  const held = new Map<string, string>();
  const refs = referencesOf(references, body);
  const sessions = new Map<string, Held>();
  let owner: { name: string; field: string; id: string } | undefined;
  for (const ref of refs) {
    if (!NAMED_KINDS.includes(ref.kind)) continue;
    for (const { field, id } of idsAt(body, ref)) {
      const found = await deps.ownerOf(tenantId, ref.kind as NamedKind, id);
      if (found === undefined) {
        if (ref.kind === 'session') return { unknownSession: { field, id } };
        continue;
      }
      if (owner && owner.name !== found.upstream) {
        throw new KlingError(1201, `${field}: '${id}' and ${owner.field} '${owner.id}' were made on two different upstream accounts, and neither knows the other's; name ones made on the same; nothing was billed`);
      }
      owner ??= { name: found.upstream, field, id };
      held.set(heldKey(ref.kind, id), found.upstreamId);
      if (ref.kind === 'session') sessions.set(ref.field, found);
    }
  }
  // A face is one of its session's: its upstream id is the session's record of it, and one the session does not
  // have is refused here, as kiln's own sessions refuse it (the upstream's refusal would name its own session id).
  for (const ref of refs) {
    const session = ref.kind === 'face' && ref.session !== undefined ? sessions.get(ref.session) : undefined;
    const faces = session?.faces;
    if (!faces) continue;
    for (const { field, id } of idsAt(body, ref)) {
      if (!Object.hasOwn(faces, id)) {
        const sessionId = idsAt(body, { field: ref.session!, kind: 'session' })[0]?.id;
        throw new KlingError(1201, `${field}: session '${sessionId}' has no face '${id}'; identify-face found ${Object.keys(faces).map((f) => `'${f}'`).join(', ') || 'none'}`);
      }
      held.set(heldKey('face', id), faces[id]);
    }
  }
  if (!owner) return { held };
  const upstream = await deps.upstreams.byName(owner.name);
  // The account's name is the operator's business: the tenant hears only that the id cannot be used any more.
  if (!upstream) throw new KlingError(1201, `${owner.field}: '${owner.id}' was made on an upstream account this server no longer relays to, so it cannot be used; nothing was billed`);
  const sessionVideo = [...sessions.values()].find((s) => s.source)?.source;
  return { upstream, held, ...(sessionVideo ? { sessionVideo } : {}) };
}
