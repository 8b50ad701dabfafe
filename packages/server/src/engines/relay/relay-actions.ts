// The synchronous endpoints a relay tenant's calls are carried out on an upstream account for: TTS (real speech, not
// the simulator's tone), identify-face and the multi-elements selection calls (the editing session lives upstream, so
// the tasks that name it can go there too), image-recognize, Kling's preset lists, and deleting a voice or element an
// upstream made. kiln validates first, as for tasks; the upstream's answer is passed on with what kiln must add:
// - the session or audio ids it gives are remembered with the account (store/relayed-ids.ts): what names them later
//   (add-selection, advanced-lip-sync, multi-elements, avatar's audio_id) goes to that account, the only one that
//   knows them;
// - media in the answer (TTS audio, recognition masks) is copied into kiln's storage and answered with kiln's URLs;
//   a TTS audio becomes the tenant's output, so `audio_id` resolves in kiln's checks;
// - billed calls (TTS, identify-face, image-recognize) are charged to the tenant's packs: the upstream's
//   `final_unit_deduction`, or the contract's price when the upstream says none;
// - a deleted voice or element is marked deleted in kiln too (the local handler, after the upstream's).
// A refusal reaches the client as the upstream gave it. Other synchronous endpoints stay kiln's own: the tenant's
// packs and bills (account/*) are kiln's; a voice or element kiln made is deleted in kiln alone; the legacy custom
// elements are kiln's (they predate the relay's id mapping). Preview URLs of a selection are the upstream's (they
// last as long as its session).

import { KlingError, referencesOf, type AnyAction } from '@kiln/contract';
import { KlingApiError } from '@kiln/sdk';
import type { Db } from '../../store/open.ts';
import { rememberRelayedId, type RelayedKind } from '../../store/relayed-ids.ts';
import type { Tenant } from '../../store/tenants.ts';
import { idsAt } from '../../tasks/reference-ids.ts';
import { chooseUpstream } from './routing.ts';
import { bareMessage } from './upstream-errors.ts';
import { upstreamClient, type UpstreamConfig } from './upstream.ts';
import type { UpstreamRegistry } from './upstream-registry.ts';

/** The actions a relay tenant's calls go upstream for; the others are answered by kiln itself. */
export const RELAYED_ACTIONS: ReadonlySet<string> = new Set([
  'tts', 'identify-face', 'image-recognize', 'multi-elements/init-selection', 'multi-elements/add-selection',
  'multi-elements/delete-selection', 'multi-elements/clear-selection', 'multi-elements/preview-selection',
  'presets-voices', 'advanced-presets-elements', 'delete-voices', 'delete-elements', 'delete-advanced-elements',
]);

/** Deletes that go upstream only for what an upstream made; what kiln made is kiln's to delete. */
const DELETES: ReadonlySet<string> = new Set(['delete-voices', 'delete-elements', 'delete-advanced-elements']);

/** What an id the request names may be, and where kiln finds the account that holds it. */
export type NamedKind = 'video' | 'audio' | 'voice' | 'element' | 'session';

export interface RelayActionDeps {
  db: Db;
  upstreams: Pick<UpstreamRegistry, 'all' | 'byName'>;
  /** The upstream holding an id the tenant names (made by a relayed task or call), if any. */
  ownerOf: (tenantId: string, kind: NamedKind, id: string) => Promise<string | undefined>;
  /** Copies a file of the answer into kiln's storage as `<folder>/<name>`; answers kiln's URL for it. */
  keepFile: (folder: string, name: string, url: string, now: number) => Promise<string>;
  /** Makes a kept TTS audio (`<folder>/tts.mp3`) the tenant's output. */
  registerAudio: (tenant: Tenant, folder: string, audio: { id: string; seconds: number }, now: number) => Promise<void>;
  /** Refuses (1102) a tenant with no units left, before anything is asked of the upstream. */
  ensureUnits: (tenant: Tenant, units: number) => Promise<void>;
  /** Charges a call's units to the tenant's video packs; answers `final_unit_deduction`. */
  charge: (tenant: Tenant, units: number, call: { action: string; taskId: string; at: number }) => Promise<string>;
  /** A new kiln id (task ids of TTS answers, storage folders). */
  newId: (now: number) => string;
  fetch?: typeof fetch;
}

const NAMED_KINDS: readonly string[] = ['video', 'audio', 'voice', 'element', 'session'] satisfies NamedKind[];

export class RelayedActions {
  constructor(private readonly deps: RelayActionDeps) {}

  /** Carries the call out upstream (`local`: kiln's own handler of it); the answer the client gets. */
  async call(tenant: Tenant, action: AnyAction, input: Record<string, unknown>, local: ActionHandler, now = Date.now()): Promise<unknown> {
    await this.deps.ensureUnits(tenant, action.units?.(input as never) ?? 0);
    const owner = await this.ownerFor(tenant, action, input);
    if (DELETES.has(action.name) && !owner) return local(tenant, input);
    const upstream = owner ?? await this.routed(action);
    const method = upstreamClient(upstream, this.deps.fetch).action(action.name);
    if (!method) throw new Error(`the SDK has no method for ${action.name}`);
    let data: Record<string, any>;
    try {
      data = await method(input, { validation: 'off' });
    } catch (error) {
      if (error instanceof KlingApiError && error.code !== undefined) throw new KlingError(error.code, bareMessage(error));
      throw new KlingError(5000, `the upstream '${upstream.name}' could not be reached for ${action.name} (${(error as Error).message}); nothing was billed`);
    }
    const remember = (kind: RelayedKind, id: unknown, detail?: unknown) =>
      rememberRelayedId(this.deps.db, { tenant_id: tenant.id, kind, id: String(id), upstream: upstream.name, created_at: now, detail });
    const units = (answer: Record<string, any>) => {
      const billed = Number(answer.final_unit_deduction);
      return Number.isFinite(billed) ? billed : (action.units?.(input as never) ?? 0);
    };
    switch (action.name) {
      case 'tts':
        return this.keptSpeech(tenant, data, units(data), remember, now);
      case 'identify-face':
        await remember('session', data.session_id, { kind: 'identify-face' });
        return { ...data, final_unit_deduction: await this.deps.charge(tenant, units(data), { action: action.name, taskId: String(data.session_id), at: now }) };
      case 'multi-elements/init-selection':
        await remember('session', data.session_id, { kind: 'multi-elements' });
        return data;
      case 'image-recognize':
        return this.keptRecognition(tenant, data, units(data), now);
      default:
        // A delete is done in kiln too once the upstream has done it.
        return DELETES.has(action.name) ? { ...data, ...(await local(tenant, input) as object) } : data;
    }
  }

  /** The account holding an id the request names, if an upstream made it. */
  private async ownerFor(tenant: Tenant, action: AnyAction, input: Record<string, unknown>): Promise<UpstreamConfig | undefined> {
    for (const ref of referencesOf(action.references, input)) {
      if (!NAMED_KINDS.includes(ref.kind)) continue;
      for (const { field, id } of idsAt(input, ref)) {
        const owner = await this.deps.ownerOf(tenant.id, ref.kind as NamedKind, id);
        const upstream = owner === undefined ? undefined : await this.deps.upstreams.byName(owner);
        if (upstream) return upstream;
        if (ref.kind === 'session') {
          throw new KlingError(1203, `${field}: no session '${id}' of this account; open one with identify-face or multi-elements/init-selection`);
        }
      }
    }
    return undefined;
  }

  /** The account routing picks for a call that names nothing an upstream made. */
  private async routed(action: AnyAction): Promise<UpstreamConfig> {
    const chosen = await chooseUpstream(await this.deps.upstreams.all(), { family: action.name, model: null, pack: 'video' }, async () => 0);
    if (!chosen) throw new KlingError(5000, `this account's calls go to the relay engine, and no upstream carries ${action.name}; nothing was billed`);
    return chosen;
  }

  /** image-recognize's answer with kiln's copy of each mask, and the tenant charged. */
  private async keptRecognition(tenant: Tenant, data: Record<string, any>, units: number, now: number): Promise<unknown> {
    const folder = this.deps.newId(now);
    const images = [];
    for (const [i, image] of ((data.task_result?.images ?? []) as { type?: string; url: string }[]).entries()) {
      images.push({ ...image, url: await this.deps.keepFile(folder, `${safeName(image.type) ?? `mask-${i}`}.png`, image.url, now) });
    }
    const deducted = await this.deps.charge(tenant, units, { action: 'image-recognize', taskId: folder, at: now });
    return { ...data, task_result: { ...data.task_result, images }, final_unit_deduction: deducted };
  }

  /** The TTS answer with kiln's id, kiln's copy of each audio, and the tenant charged. */
  private async keptSpeech(
    tenant: Tenant, data: Record<string, any>, units: number,
    remember: (kind: RelayedKind, id: unknown) => Promise<void>, now: number,
  ): Promise<unknown> {
    const taskId = this.deps.newId(now);
    const audios = [];
    for (const audio of (data.task_result?.audios ?? []) as { id: string; url: string; duration?: string }[]) {
      // One audio per TTS call: its folder is the call's.
      const url = await this.deps.keepFile(taskId, 'tts.mp3', audio.url, now);
      await this.deps.registerAudio(tenant, taskId, { id: String(audio.id), seconds: Number(audio.duration ?? 0) }, now);
      await remember('audio', audio.id);
      audios.push({ ...audio, url });
    }
    const deducted = await this.deps.charge(tenant, units, { action: 'tts', taskId, at: now });
    return { ...data, task_id: taskId, task_result: { ...data.task_result, audios }, final_unit_deduction: deducted };
  }
}

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
