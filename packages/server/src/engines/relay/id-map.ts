// kiln's ids and the upstream's: a relay tenant names kiln's ids (a video, audio, voice, element or session an
// upstream holds), the upstream knows its own. What goes upstream has each named id replaced by the upstream's
// (owners.ts found them); what comes back has the upstream's ids replaced by kiln's. Presets (Kling's voices and
// elements) have no kiln id of their own and pass as they are.

import { referencesOf, type AnyAction } from '@kiln/contract';
import { idsAt } from '../../tasks/reference-ids.ts';
import { heldKey, NAMED_KINDS, type UpstreamIds } from './owners.ts';

/** The request as the upstream gets it: a copy with each id it holds replaced by its own (the request itself when none is). */
export function toUpstreamIds(body: Record<string, unknown>, references: AnyAction['references'], held: UpstreamIds): Record<string, unknown> {
  if (![...held].some(([key, upstreamId]) => !key.endsWith(`:${upstreamId}`))) return body;
  const copy = structuredClone(body);
  for (const ref of referencesOf(references, copy)) {
    for (const named of idsAt(copy, ref)) {
      const upstreamId = held.get(heldKey(ref.kind, named.id));
      if (upstreamId !== undefined) named.item[named.key] = likeSent(named.item[named.key], upstreamId);
    }
  }
  return copy;
}

/**
 * upstream id → kiln id of the ids a request named. Faces are left out: they number a session's faces ("0", "1"),
 * and as short as they are, they could be taken for another id.
 */
export function kilnIdsOf(held: UpstreamIds): Map<string, string> {
  return new Map([...held].filter(([key]) => !key.startsWith('face:')).map(([key, upstreamId]) => [upstreamId, key.slice(key.indexOf(':') + 1)]));
}

/** An upstream's message (a refusal, a failed task's reason) with each id it quotes that has a kiln id shown as kiln's. */
export function kilnText(message: string, kilnIds: ReadonlyMap<string, string>): string {
  const ids = [...kilnIds.keys()].filter((id) => id !== '');
  if (!ids.length) return message;
  // One pass: a kiln id put in is never read again as an upstream one.
  return message.replace(new RegExp(`(?<![\\w-])(?:${ids.map(escaped).join('|')})(?![\\w-])`, 'g'), (id) => kilnIds.get(id)!);
}

const escaped = (id: string) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The fields of an answer that carry ids a tenant may name later: `video_id`, `session_id`, … */
const ID_FIELDS = new Set(NAMED_KINDS.map((kind) => `${kind}_id`));

/** An upstream's answer with every id it names that has a kiln id (`kilnIds`: upstream id → kiln id) shown as kiln's. */
export function withKilnIds<T>(answer: T, kilnIds: ReadonlyMap<string, string>): T {
  if (kilnIds.size === 0) return answer;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, v]) => {
      const kilnId = ID_FIELDS.has(key) && (typeof v === 'string' || typeof v === 'number') ? kilnIds.get(String(v)) : undefined;
      return [key, kilnId ?? walk(v)];
    }));
  };
  return walk(answer) as T;
}

/** The upstream's id in the form the client sent kiln's: an element id sent as a JSON number stays one. */
function likeSent(sent: unknown, upstreamId: string): string | number {
  const number = Number(upstreamId);
  return typeof sent === 'number' && Number.isSafeInteger(number) && String(number) === upstreamId ? number : upstreamId;
}
