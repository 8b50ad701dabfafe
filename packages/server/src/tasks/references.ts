// Checks, at create, the stored data a request names, as its family's `references` declare them: outputs
// (`video_id`, `audio_id`: the caller's own of the last 30 days, of a length the family accepts), voices and elements
// (presets or the caller's own custom ones, of the kinds the request allows), editing sessions and their faces, and
// the elements a new-standard prompt names as `@Name`.
// Another tenant's id reads exactly like an unknown one, so nothing reveals another tenant's data.
// Uploaded media (video_url, sound_file) can only be measured once downloaded: the engine checks those.

import {
  isNewStandard, KlingError, referencesOf, SESSION_LIFETIME_MS, type AnyAction, type AnyFamily, type ElementKind, type InputReference,
} from '@kiln/contract';
import { checkLength } from '../actions/video-source.ts';
import type { TaskStore } from '../store/tasks.ts';
import { findOutput } from '../store/outputs.ts';
import { findRelayedId } from '../store/relayed-ids.ts';
import type { SessionRow } from '../store/sessions.ts';
import { checkElement, checkVoice, usableElementNames } from './asset-references.ts';
import { idsAt, siblingField, type NamedId, type ReferenceContext } from './reference-ids.ts';
import { checkFace, checkSession } from './session-references.ts';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Throws the Kling error of the first bad reference. Returns the model of a parent video restricted by model
 * (video-extend): the new task inherits it, so its own output can be extended again under the same rule.
 */
export async function checkReferences(
  store: TaskStore, tenantId: string, family: AnyFamily | AnyAction, body: Record<string, unknown>,
  { relay = false }: { relay?: boolean } = {},
): Promise<{ inheritedModel?: string }> {
  const refs = referencesOf(family.references, body);
  // A face is looked up in its session, so sessions come first, whatever the order of the declaration.
  const ordered = [...refs.filter((r) => r.kind !== 'face'), ...refs.filter((r) => r.kind === 'face')];
  const sessions = new Map<string, SessionRow | typeof RELAYED_SESSION>();
  let inheritedModel: string | undefined;
  const elementKinds: ElementKind[] = [];
  for (const ref of ordered) {
    for (const named of idsAt(body, ref)) {
      const ctx: ReferenceContext = { db: store.db, tenantId, now: Date.now() };
      switch (ref.kind) {
        case 'video':
        case 'audio':
          inheritedModel = (await checkOutput(store, ctx, ref, named)) ?? inheritedModel;
          break;
        case 'voice':
          await checkVoice(ctx, ref, named);
          break;
        case 'element':
          elementKinds.push(await checkElement(ctx, ref, named));
          break;
        case 'session':
          // A relay tenant's session may be one an upstream holds (relay-actions.ts); a simulator tenant's never is.
          sessions.set(ref.field, (relay ? await relayedSession(ctx, ref, named) : undefined) ?? await checkSession(ctx, ref, named));
          break;
        case 'face': {
          const session = ref.session === undefined ? undefined : sessions.get(ref.session);
          // Session fields are required wherever faces are named; a declaration without one is a contract bug.
          if (!session) throw new Error(`${family.name}: the face reference ${ref.field} needs a checked session reference (${ref.session})`);
          // A session an upstream holds is checked there, faces and all (kiln has no copy of its video).
          if (session !== RELAYED_SESSION) checkFace(ref, named, session);
          break;
        }
        // video-url, audio-file: measured when the task runs.
      }
    }
  }
  // A new-standard endpoint may limit the mix of element kinds (3.0 Omni), known only now that each was looked up.
  const endpoint = 'standard' in family && isNewStandard(family) ? family : undefined;
  const mixBroken = endpoint?.elementMix?.(body, elementKinds);
  if (mixBroken) throw new KlingError(1201, mixBroken);
  // `@Name` in a new-standard prompt names one of the caller's elements; the store is read only when a prompt has one.
  const names = endpoint?.elementNames;
  if (names?.pending(body)) {
    const unknown = names.check(body, await usableElementNames({ db: store.db, tenantId, now: Date.now() }));
    if (unknown) throw new KlingError(1201, unknown);
  }
  return { inheritedModel };
}

/** A session a relay tenant's call opened upstream (relay-actions.ts): only that account can check what is in it. */
const RELAYED_SESSION = Symbol('relayed session');

/** RELAYED_SESSION when the tenant opened this session, of the kind the field takes, through the relay and it is live. */
async function relayedSession(ctx: ReferenceContext, ref: InputReference, { id }: NamedId): Promise<typeof RELAYED_SESSION | undefined> {
  const row = await findRelayedId(ctx.db, ctx.tenantId, 'session', id, ctx.now - SESSION_LIFETIME_MS);
  // A reference of any kind of session (the selection calls name theirs by id alone) takes any.
  const kindFits = ref.sessionKind === undefined || (row && (JSON.parse(row.detail_json) as { kind?: string }).kind === ref.sessionKind);
  return row && kindFits ? RELAYED_SESSION : undefined;
}

/** One stored output; answers the model it was made by when the reference restricts models. */
async function checkOutput(store: TaskStore, ctx: ReferenceContext, ref: InputReference, { field, id, item }: NamedId): Promise<string | undefined> {
  const kind = ref.kind as 'video' | 'audio';
  // findOutput keeps 30 days; a shorter window of the reference narrows it.
  const output = await findOutput(ctx.db, ctx.tenantId, kind, id, ctx.now);
  const tooOld = output && ref.maxAgeDays !== undefined && output.created_at <= ctx.now - ref.maxAgeDays * DAY_MS;
  if (!output || tooOld) {
    throw new KlingError(1201, `${field}: no ${kind} '${id}' among your ${kind}s of the last ${ref.maxAgeDays ?? 30} days`);
  }
  if (ref.seconds && output.seconds !== null) checkLength(field, output.seconds, ref.seconds, kind);
  if (ref.endsBy && output.seconds !== null) {
    // The part used (a lip-sync's crop) must end within the audio.
    const endMs = Number(item[ref.endsBy]);
    const lengthMs = Math.round(output.seconds * 1000);
    if (endMs > lengthMs) {
      throw new KlingError(1201, `${siblingField(field, ref.endsBy)}: ${endMs} ms is past the end of ${kind} '${id}', which lasts ${lengthMs} ms`);
    }
  }
  if (!ref.families && !ref.models) return undefined;
  // Some families take only outputs of certain families/models (video-extend: kling-v1.x text/image2video).
  const made = await store.byId(output.task_id);
  if (!made || (ref.families && !ref.families.includes(made.family)) || (ref.models && !ref.models.includes(made.model ?? ''))) {
    const of = [ref.families?.join('/'), ref.models && `models ${ref.models.join(', ')}`].filter(Boolean).join(' with ');
    throw new KlingError(1201, `${field}: the ${kind} '${id}' was made by ${made ? `${made.family} (${made.model})` : 'another task'}; only ${of} ${kind}s are accepted`);
  }
  return ref.models && made.model ? made.model : undefined;
}
