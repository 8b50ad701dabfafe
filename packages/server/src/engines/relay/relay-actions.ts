// The synchronous endpoints a relay tenant's calls are carried out on an upstream account for: TTS (real speech, not
// the simulator's tone), identify-face and the multi-elements selection calls (the editing session lives upstream, so
// the tasks that name it can go there too). kiln validates first, as for tasks; the upstream's answer is passed on
// with what kiln must add or keep:
// - the session or audio ids it gives are remembered with the account (store/relayed-ids.ts): what names them later
//   (add-selection, advanced-lip-sync, multi-elements, avatar's audio_id) goes to that account, the only one that
//   knows them;
// - TTS audio is copied into kiln's storage and registered as the tenant's output, so its URL outlives the upstream's
//   and `audio_id` resolves in kiln's checks;
// - billed calls (TTS, identify-face) are charged to the tenant's packs: the upstream's `final_unit_deduction`, or the
//   contract's price when the upstream says none.
// A refusal reaches the client as the upstream gave it. Other synchronous endpoints stay kiln's own: the tenant's
// packs and bills (account/*) are kiln's, and the preset and custom-asset lists are answered from kiln's store.

import { KlingError, referencesOf, type AnyAction } from '@kiln/contract';
import { KlingApiError } from '@kiln/sdk';
import type { Db } from '../../store/open.ts';
import { rememberRelayedId, type RelayedKind } from '../../store/relayed-ids.ts';
import type { Tenant } from '../../store/tenants.ts';
import { idsAt } from '../../tasks/reference-ids.ts';
import { chooseUpstream } from './routing.ts';
import { upstreamClient, type UpstreamConfig } from './upstream.ts';
import type { UpstreamRegistry } from './upstream-registry.ts';

/** The actions a relay tenant's calls go upstream for; the others are answered by kiln itself. */
export const RELAYED_ACTIONS: ReadonlySet<string> = new Set([
  'tts', 'identify-face', 'multi-elements/init-selection', 'multi-elements/add-selection',
  'multi-elements/delete-selection', 'multi-elements/clear-selection', 'multi-elements/preview-selection',
]);

/** What an id the request names may be, and where kiln finds the account that holds it. */
export type NamedKind = 'video' | 'audio' | 'voice' | 'element' | 'session';

export interface RelayActionDeps {
  db: Db;
  upstreams: Pick<UpstreamRegistry, 'all' | 'byName'>;
  /** The upstream holding an id the tenant names (made by a relayed task or call), if any. */
  ownerOf: (tenantId: string, kind: NamedKind, id: string) => Promise<string | undefined>;
  /** Copies a TTS audio into kiln's storage and registers it as the tenant's output; answers kiln's URL for it. */
  keepAudio: (tenant: Tenant, audio: { id: string; url: string; seconds: number }, now: number) => Promise<string>;
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

  /** Carries the call out upstream; the answer the client gets. */
  async call(tenant: Tenant, action: AnyAction, input: Record<string, unknown>, now = Date.now()): Promise<unknown> {
    await this.deps.ensureUnits(tenant, action.units?.(input as never) ?? 0);
    const upstream = await this.upstreamFor(tenant, action, input);
    const method = upstreamClient(upstream, this.deps.fetch).action(action.name);
    if (!method) throw new Error(`the SDK has no method for ${action.name}`);
    let data: Record<string, any>;
    try {
      data = await method(input, { validation: 'off' });
    } catch (error) {
      if (error instanceof KlingApiError && error.code !== undefined) throw new KlingError(error.code, error.message);
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
      default:
        return data;
    }
  }

  /** The account holding an id the request names; otherwise the one routing picks for a new piece of work. */
  private async upstreamFor(tenant: Tenant, action: AnyAction, input: Record<string, unknown>): Promise<UpstreamConfig> {
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
    const chosen = await chooseUpstream(await this.deps.upstreams.all(), { family: action.name, model: null, pack: 'video' }, async () => 0);
    if (!chosen) throw new KlingError(5000, `this account's calls go to the relay engine, and no upstream carries ${action.name}; nothing was billed`);
    return chosen;
  }

  /** The TTS answer with kiln's id, kiln's copy of each audio, and the tenant charged. */
  private async keptSpeech(
    tenant: Tenant, data: Record<string, any>, units: number,
    remember: (kind: RelayedKind, id: unknown) => Promise<void>, now: number,
  ): Promise<unknown> {
    const taskId = this.deps.newId(now);
    const audios = [];
    for (const audio of (data.task_result?.audios ?? []) as { id: string; url: string; duration?: string }[]) {
      const url = await this.deps.keepAudio(tenant, { id: String(audio.id), url: audio.url, seconds: Number(audio.duration ?? 0) }, now);
      await remember('audio', audio.id);
      audios.push({ ...audio, url });
    }
    const deducted = await this.deps.charge(tenant, units, { action: 'tts', taskId, at: now });
    return { ...data, task_id: taskId, task_result: { ...data.task_result, audios }, final_unit_deduction: deducted };
  }
}

export type ActionHandler = (tenant: Tenant, input: any) => Promise<unknown>;

/** The handlers, with those of RELAYED_ACTIONS carried out upstream for relay tenants. */
export function withRelayedActions(
  handlers: Record<string, ActionHandler>, relayed: RelayedActions, actionNamed: (name: string) => AnyAction,
): Record<string, ActionHandler> {
  return Object.fromEntries(Object.entries(handlers).map(([name, local]) => {
    if (!RELAYED_ACTIONS.has(name)) return [name, local];
    const action = actionNamed(name);
    const handler: ActionHandler = (tenant, input) => (tenant.engine === 'relay' ? relayed.call(tenant, action, input) : local(tenant, input));
    return [name, handler];
  }));
}
