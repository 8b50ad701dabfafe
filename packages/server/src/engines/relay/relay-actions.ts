// The synchronous endpoints a relay tenant's calls are carried out on an upstream account for: TTS (real speech, not
// the simulator's tone), identify-face and the multi-elements selection calls (the editing session lives upstream, so
// the tasks that name it can go there too), image-recognize, making an element with the old elements API (the tasks
// naming it must go where it is), Kling's preset lists, and deleting a voice or element an upstream made. kiln
// validates first, as for tasks; the upstream's answer is passed on with what kiln must add:
// - ids: the client names kiln's, the upstream gets its own (id-map.ts); a session, audio or element the call makes
//   gets a kiln id, remembered with the account and the upstream's id (store/relayed-ids.ts): what names it later
//   (add-selection, advanced-lip-sync, multi-elements, avatar's audio_id, element_list) goes to that account, the
//   only one that knows it. identify-face's faces are numbered from "0" as Kling numbers them, the upstream's face
//   ids kept with the session;
// - media in the answer (TTS audio, recognition masks, an element's images) is copied into kiln's storage and
//   answered with kiln's URLs; a TTS audio becomes the tenant's output, so `audio_id` resolves in kiln's checks, and
//   an element the tenant's own, listed by kiln (the account's own list would show every tenant's);
// - billed calls (TTS, identify-face, image-recognize) are charged to the tenant's packs: the upstream's
//   `final_unit_deduction`, or the contract's price when the upstream says none;
// - a deleted voice or element is marked deleted in kiln too (the local handler, after the upstream's).
// A refusal reaches the client as the upstream gave it. Other synchronous endpoints stay kiln's own: the tenant's
// packs and bills (account/*) are kiln's, and so are the lists of the tenant's voices and elements; a voice or
// element kiln made is deleted in kiln alone. Preview URLs of a selection are the upstream's: a preview is looked at
// while its session lasts (24 h), not kept.

import { given, KlingError, type AnyAction } from '@kiln/contract';
import { KlingApiError } from '@kiln/sdk';
import type { Db } from '../../store/open.ts';
import { addLegacyElement, type LegacyElement } from '../../store/legacy-elements.ts';
import { forgetRelayedId, rememberRelayedId, type RelayedKind } from '../../store/relayed-ids.ts';
import type { LegacyElementRequest } from '../../actions/legacy-elements.ts';
import { creatorId } from '../../accounts/creator-id.ts';
import { extensionOf } from './archive.ts';
import type { Tenant } from '../../store/tenants.ts';
import { chooseUpstream } from './routing.ts';
import { BREAKER_DEFAULTS, recordOutcome, type BreakerSettings, type UpstreamHealth, type UpstreamOutcome } from './breaker.ts';
import { madeNothing, outcomeOf, requestRefusal, withCode } from './upstream-errors.ts';
import { namedUpstream, type OwnerOf, type SessionSource } from './owners.ts';
import { kilnIdsOf, kilnText, toUpstreamIds, withKilnIds } from './id-map.ts';
import { reportedUnits, upstreamClient, type UpstreamConfig } from './upstream.ts';
import type { UpstreamRegistry } from './upstream-registry.ts';

/** The actions a relay tenant's calls go upstream for; the others are answered by kiln itself. */
export const RELAYED_ACTIONS: ReadonlySet<string> = new Set([
  'tts', 'identify-face', 'image-recognize', 'multi-elements/init-selection', 'multi-elements/add-selection',
  'multi-elements/delete-selection', 'multi-elements/clear-selection', 'multi-elements/preview-selection',
  'custom-elements', 'presets-voices', 'advanced-presets-elements', 'presets-elements', 'delete-voices', 'delete-elements',
  'delete-advanced-elements',
]);

/** Records an id a call got upstream, kiln's and the upstream's, with the account that holds it, in the caller's transaction. */
type Remember = (trx: Db, kind: RelayedKind, ids: { id: string; upstreamId: string }, detail?: Record<string, unknown>) => Promise<void>;

/** Deletes that go upstream only for what an upstream made; what kiln made is kiln's to delete. */
const DELETES: ReadonlySet<string> = new Set(['delete-voices', 'delete-elements', 'delete-advanced-elements']);

export interface RelayActionDeps {
  db: Db;
  upstreams: Pick<UpstreamRegistry, 'all' | 'byName'>;
  /** The upstream holding an id the tenant names (made by a relayed task or call), if any (owners.ts). */
  ownerOf: OwnerOf;
  /** kiln's own checks of the ids a request names (the tenant's own, or presets), as for a task: 1201 otherwise. */
  checkReferences: (tenant: Tenant, action: AnyAction, input: Record<string, unknown>) => Promise<void>;
  /** Copies a file of the answer into kiln's storage as `<folder>/<name>`; answers kiln's URL for it. */
  keepFile: (folder: string, name: string, url: string, now: number) => Promise<string>;
  /** Removes what a call that failed half-way kept under its folder. */
  discardFolder: (folder: string, names: readonly string[]) => Promise<void>;
  /** Makes a kept TTS audio (`<folder>/tts.mp3`) the tenant's output, in the transaction that charges the call. */
  registerAudio: (trx: Db, tenant: Tenant, folder: string, audio: { id: string; seconds: number }, now: number) => Promise<void>;
  /** Refuses (1102) a tenant with no units left, before anything is asked of the upstream. */
  ensureUnits: (tenant: Tenant, units: number) => Promise<void>;
  /**
   * Charges a call's units to the tenant's video packs, with whatever must commit with the charge (the ids the call
   * got, its audio): all or nothing. Answers `final_unit_deduction`.
   */
  charge: (tenant: Tenant, units: number, call: { action: string; taskId: string; at: number }, alongside: (trx: Db) => Promise<void>) => Promise<string>;
  /** A new kiln id (task ids of TTS answers, storage folders). */
  newId: (now: number) => string;
  /** Writes an upstream's breaker state (breaker.ts), as the relay engine does for tasks. */
  saveHealth?: (upstream: string, health: UpstreamHealth) => Promise<void>;
  breaker?: BreakerSettings;
  fetch?: typeof fetch;
}

export class RelayedActions {
  constructor(private readonly deps: RelayActionDeps) {}

  /** Carries the call out upstream (`local`: kiln's own handler of it); the answer the client gets. */
  async call(tenant: Tenant, action: AnyAction, input: Record<string, unknown>, local: ActionHandler, now = Date.now()): Promise<unknown> {
    const found = await namedUpstream(this.deps, tenant.id, action.references, input);
    if ('unknownSession' in found) throw new KlingError(1203, `${found.unknownSession.field}: no session '${found.unknownSession.id}' of this account; open one with identify-face or multi-elements/init-selection`);
    // The ids named are the tenant's own (or presets): another tenant's voice or video is refused here, as kiln's own
    // handlers refuse it, before an upstream that holds it for another tenant could be asked. (A delete names only
    // the tenant's own, found above or answered by kiln's handler, and deleting again must answer as the first time.)
    if (!DELETES.has(action.name)) await this.deps.checkReferences(tenant, action, input);
    await this.deps.ensureUnits(tenant, action.units?.(input as never) ?? 0);
    // A voice or element kiln made is kiln's alone to delete.
    if (DELETES.has(action.name) && !found.upstream) return local(tenant, input);
    const kilnIds = kilnIdsOf(found.held);
    const answered = await this.ask(action, toUpstreamIds(input, action.references, found.held), found.upstream, now).catch((error: unknown) => {
      // A refusal quotes the upstream's ids: the client sees kiln's.
      throw error instanceof KlingError ? new KlingError(error.code, kilnText(error.message, kilnIds)) : error;
    });
    if ('deleted' in answered) return local(tenant, input);
    const { upstream } = answered;
    const data = withKilnIds(answered.data, kilnIds);
    const units = reportedUnits(data.final_unit_deduction) ?? action.units?.(input as never) ?? 0;
    // An id the call got: a new kiln id for it, remembered with the upstream's.
    const remember: Remember = (trx, kind, ids, detail) =>
      rememberRelayedId(trx, { tenant_id: tenant.id, kind, id: ids.id, upstream: upstream.name, created_at: now, detail: { ...detail, upstreamId: ids.upstreamId } });
    switch (action.name) {
      case 'tts':
        return this.keptSpeech(tenant, data, units, remember, now);
      case 'identify-face':
      case 'multi-elements/init-selection':
        return this.keptSession(tenant, action.name, input, data, units, remember, now);
      case 'image-recognize':
        return this.keptRecognition(tenant, data, units, now);
      case 'custom-elements':
        return this.keptElement(tenant, input as unknown as LegacyElementRequest, data, upstream, remember, now);
      default: {
        if (!DELETES.has(action.name)) return data;
        // A delete is done in kiln too once the upstream has done it; an old-API element's account is then forgotten.
        const deleted = { ...data, ...(await local(tenant, input) as object) };
        if (action.name === 'delete-elements') await forgetRelayedId(this.deps.db, tenant.id, 'element', String(input.element_id));
        return deleted;
      }
    }
  }

  /**
   * The upstream's answer to the call, from the account that owns what it names, else from the one routing picks —
   * or the next, when that one certainly did nothing (never connected, or refused for the account's own sake), as a
   * task not yet sent moves; one naming an id only its owner knows cannot move. Every answer feeds the account's
   * breaker, as a task's does: an account down for TTS is down. `deleted`: the upstream no longer has what a delete
   * names (repeated after a crash), and kiln's own delete answers.
   */
  private async ask(
    action: AnyAction, input: Record<string, unknown>, owner: UpstreamConfig | undefined, now: number,
  ): Promise<{ data: Record<string, any>; upstream: UpstreamConfig } | { deleted: true }> {
    let upstream = owner ?? await this.routed(action, [], now);
    const tried: string[] = [];
    for (;;) {
      if (!upstream) throw new KlingError(5000, `this account's calls go to the relay engine, and no upstream carries ${action.name}; nothing was billed`);
      const method = upstreamClient(upstream, this.deps.fetch).action(action.name);
      if (!method) throw new Error(`the SDK has no method for ${action.name}`);
      try {
        const data = await method(input, { validation: 'off' });
        await this.record(upstream, { kind: 'handled' }, now);
        return { data, upstream };
      } catch (error) {
        await this.record(upstream, outcomeOf(error), now);
        if (DELETES.has(action.name) && error instanceof KlingApiError && (error.code === 1201 || error.code === 1203)) return { deleted: true };
        tried.push(upstream.name);
        const next = !owner && madeNothing(error) ? await this.routed(action, tried, now) : undefined;
        if (!next) throw refusalFor(error, action);
        upstream = next;
      }
    }
  }

  /** The account routing picks for a call that names nothing an upstream made, of those not yet tried. */
  private async routed(action: AnyAction, tried: readonly string[], now: number): Promise<UpstreamConfig | undefined> {
    const left = (await this.deps.upstreams.all()).filter((u) => !tried.includes(u.name));
    return chooseUpstream(left, { family: action.name, model: null, pack: 'video' }, async () => 0, now);
  }

  private record(upstream: UpstreamConfig, outcome: UpstreamOutcome | undefined, now: number): Promise<void> {
    return recordOutcome(upstream, outcome, now, this.deps.breaker ?? BREAKER_DEFAULTS, this.deps.saveHealth);
  }

  /** Copies the answer's files into `folder`, then charges; on any failure removes what was kept and answers 5000. */
  private async keeping<T>(folder: string, names: string[], action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      await this.deps.discardFolder(folder, names).catch(() => undefined);
      if (error instanceof KlingError) throw error;
      throw new KlingError(5000, `the upstream's ${action} result could not be kept (${(error as Error).message}); nothing was billed`);
    }
  }

  /**
   * An editing session the upstream opened, under a new kiln id, remembered with the upstream's id, its faces (kiln
   * numbers them "0", "1", … as Kling does, keeping the upstream's) and the video it was opened on as the tenant named
   * it (the tasks made in the session show it as their parent), in the transaction that charges the call.
   */
  private async keptSession(
    tenant: Tenant, action: string, input: Record<string, unknown>, data: Record<string, any>, units: number, remember: Remember, now: number,
  ): Promise<unknown> {
    const session = { id: this.deps.newId(now), upstreamId: requireId(data.session_id, action, 'session_id') };
    const faces = listOf<{ face_id?: unknown }>(data.face_data);
    const source: SessionSource = given(input.video_id as string) ? { video_id: input.video_id as string } : given(input.video_url as string) ? { video_url: input.video_url as string } : {};
    const detail = {
      kind: action === 'identify-face' ? 'identify-face' : 'multi-elements', source,
      ...(faces.length ? { faces: Object.fromEntries(faces.map((face, i) => [String(i), String(face.face_id ?? i)])) } : {}),
    };
    const deducted = await this.deps.charge(tenant, units, { action, taskId: session.id, at: now }, (trx) => remember(trx, 'session', session, detail));
    return {
      ...data, session_id: session.id, final_unit_deduction: deducted,
      ...(faces.length ? { face_data: faces.map((face, i) => ({ ...face, face_id: String(i) })) } : {}),
    };
  }

  /** image-recognize's answer with kiln's copy of each mask, and the tenant charged. */
  private keptRecognition(tenant: Tenant, data: Record<string, any>, units: number, now: number): Promise<unknown> {
    const folder = this.deps.newId(now);
    const names: string[] = [];
    return this.keeping(folder, names, 'image-recognize', async () => {
      const images = [];
      for (const [i, image] of listOf<{ type?: string; url?: unknown }>(data.task_result?.images).entries()) {
        const name = `${safeName(image.type) ?? `mask-${i}`}.png`;
        names.push(name);
        images.push({ ...image, url: await this.deps.keepFile(folder, name, requireUrl(image.url, 'image-recognize'), now) });
      }
      const deducted = await this.deps.charge(tenant, units, { action: 'image-recognize', taskId: folder, at: now }, async () => {});
      return { ...data, task_result: { ...data.task_result, images }, final_unit_deduction: deducted };
    });
  }

  /** The TTS answer with kiln's id, kiln's copy of its audio (the tenant's output), and the tenant charged, at once. */
  private keptSpeech(
    tenant: Tenant, data: Record<string, any>, units: number,
    remember: Remember, now: number,
  ): Promise<unknown> {
    const taskId = this.deps.newId(now);
    return this.keeping(taskId, ['tts.mp3'], 'tts', async () => {
      // One audio per TTS call: its folder is the call's.
      const [audio] = listOf<{ id?: unknown; url?: unknown; duration?: string }>(data.task_result?.audios);
      if (!audio) throw new Error('the upstream answered tts without an audio');
      const ids = { id: this.deps.newId(now), upstreamId: requireId(audio.id, 'tts', 'audios[0].id') };
      const url = await this.deps.keepFile(taskId, 'tts.mp3', requireUrl(audio.url, 'tts'), now);
      const deducted = await this.deps.charge(tenant, units, { action: 'tts', taskId, at: now }, async (trx) => {
        await this.deps.registerAudio(trx, tenant, taskId, { id: ids.id, seconds: Number(audio.duration ?? 0) }, now);
        await remember(trx, 'audio', ids);
      });
      return { ...data, task_id: taskId, task_result: { ...data.task_result, audios: [{ ...audio, id: ids.id, url }] }, final_unit_deduction: deducted };
    });
  }

  /**
   * An element of the old elements API the upstream made, under a new kiln id: its images copied into kiln's storage
   * (the folder of that id), the element made the tenant's and its account and upstream id remembered, in one
   * transaction; answered with kiln's id and URLs and the tenant as its owner, as kiln's list shows it. When kiln
   * cannot keep it, the element is deleted upstream again (as far as the account lets it), so a client's retry does
   * not leave one behind there that nobody can name.
   */
  private async keptElement(
    tenant: Tenant, request: LegacyElementRequest, data: Record<string, any>, upstream: UpstreamConfig,
    remember: Remember, now: number,
  ): Promise<unknown> {
    const ids = { id: this.deps.newId(now), upstreamId: requireId(data.element_id, 'custom-elements', 'element_id') };
    const names: string[] = [];
    try {
      return await this.keeping(ids.id, names, 'custom-elements', () => this.keepElement(tenant, request, data, { ids, names }, remember, now));
    } catch (error) {
      await upstreamClient(upstream, this.deps.fetch).action('delete-elements')?.({ element_id: ids.upstreamId }, { validation: 'off' }).catch(() => undefined);
      throw error;
    }
  }

  /** keptElement's work: the images copied into the folder of its kiln id, the element and its account recorded together. */
  private async keepElement(
    tenant: Tenant, request: LegacyElementRequest, data: Record<string, any>, at: { ids: { id: string; upstreamId: string }; names: string[] },
    remember: Remember, now: number,
  ): Promise<unknown> {
    const { ids, names } = at;
    const { id } = ids;
    const folder = id;
    const keep = async (url: unknown, stem: string) => {
      const from = requireUrl(url, 'custom-elements');
      const name = `${stem}${extensionOf(from, '.png')}`;
      names.push(name);
      return { name, url: await this.deps.keepFile(folder, name, from, now) };
    };
    const frontal = await keep(data.element_frontal_image, 'frontal');
    const refers = [];
    for (const [i, refer] of listOf<{ image_url?: unknown }>(data.element_refer_list).entries()) refers.push(await keep(refer.image_url, `refer-${i + 1}`));
    const element: LegacyElement = {
      id, tenant_id: tenant.id, name: request.element_name, description: request.element_description, created_at: now,
      detail: { frontal_file: frontal.name, refer_files: refers.map((r) => r.name), tag_ids: (request.tag_list ?? []).map((t) => t.tag_id) },
    };
    await this.deps.db.transaction().execute(async (trx) => {
      await addLegacyElement(trx, element);
      await remember(trx, 'element', ids);
    });
    return {
      ...data, element_id: id, element_frontal_image: frontal.url,
      element_refer_list: refers.map((r) => ({ image_url: r.url })), owned_by: creatorId(tenant.id),
    };
  }
}

/**
 * What the client hears when the upstream would not do the call: a refusal of the request itself (1201, 1301, …)
 * as Kling gave it; anything about the account (busy, blocked, out of units, a refused key) or no answer at all as
 * kiln's own 5001/5000, since the tenant's account is fine and a retry may find the upstream able.
 */
function refusalFor(error: unknown, action: AnyAction): KlingError {
  const refused = requestRefusal(error);
  if (refused) return refused;
  if (error instanceof KlingApiError && error.code !== undefined) {
    return new KlingError(5001, `the upstream account cannot take ${action.name} now (${withCode(error)}); nothing was billed, try again later`);
  }
  return new KlingError(5000, `the upstream could not be reached for ${action.name} (${(error as Error).message}); nothing was billed`);
}

function requireId(value: unknown, action: string, field: string): string {
  if ((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isSafeInteger(value))) return String(value);
  throw new KlingError(5000, `the upstream answered ${action} without ${field}; nothing was billed`);
}

function requireUrl(value: unknown, action: string): string {
  if (typeof value === 'string' && /^https?:\/\//.test(value)) return value;
  throw new Error(`the upstream answered ${action} with a file that has no URL`);
}

const listOf = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

export type ActionHandler = (tenant: Tenant, input: any) => Promise<unknown>;

/** A mask type as a file name (`[\w.-]`), or undefined when the upstream sent none usable. */
function safeName(type: string | undefined): string | undefined {
  return type && /^[\w-]{1,40}$/.test(type) ? type : undefined;
}

/** The handlers, with those of RELAYED_ACTIONS carried out upstream for relay tenants. */
export function withRelayedActions(
  handlers: Record<string, ActionHandler>, relayed: RelayedActions, actionNamed: (name: string) => AnyAction,
): Record<string, ActionHandler> {
  return Object.fromEntries(Object.entries(handlers).map(([name, local]) => {
    if (!RELAYED_ACTIONS.has(name)) return [name, local];
    const action = actionNamed(name);
    const handler: ActionHandler = (tenant, input) => (tenant.engine === 'relay' ? relayed.call(tenant, action, input, local) : local(tenant, input));
    return [name, handler];
  }));
}
