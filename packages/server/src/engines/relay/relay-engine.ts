// The relay engine: a kiln task is carried out by an upstream Kling account (Kling itself or a reseller). kiln
// validates and admits the request as always; the relay sends it upstream, follows the upstream task, keeps its
// outputs in kiln's storage and bills the tenant what the upstream billed.
//
// Never two upstream tasks for one kiln task: the upstream external_task_id is derived from kiln's task id and the
// phase `sending` is stored before the create goes out; a step that finds `sending` (a crash, a lost answer, a
// timeout) first asks the upstream for that external id and adopts the task it finds, and sends only when there is
// none. An upstream that is busy (1303) or unreachable is asked again later, never answered to the client as an error.
//
// Upstreams come from the registry (upstream-registry.ts): a new task is routed to one at create (routing.ts; a
// follow-up naming a video or audio a relayed task made, to the upstream that made it), its
// name is kept in the task's relay state, and every later step of the task goes to that upstream, read afresh from
// the registry (so a changed key applies at once). Polling with growing intervals, from the family's shared list page
// where the upstream has one (list-polls.ts), else by id; upstream callbacks as hints when kiln has a public URL.
// Outputs kept as files (archive.ts), or the upstream's URLs handed through.
//
// Each upstream answer feeds the account's breaker (breaker.ts), kept on its registry row for every process: while
// it is open, no create goes to that account (tasks already there are still followed, at their own growing
// intervals: a blocked account still answers about them). A task not yet there moves to another that carries it: one
// still waiting its turn (`new`), or one whose create was just refused for the account's sake (1100–1103, 1304, a
// refused key) or never connected, after the recovery query found no task of its external id. A task that may exist
// upstream stays with it and waits for the breaker, so failover never makes a second upstream task.

import { KlingApiError, type Kling } from '@kiln/sdk';
import type { AdmitInput, Engine, Step, StepContext } from '../engine.ts';
import { TaskFailure } from '../engine.ts';
import { familyByName, isNewStandard, KlingError, type AnyFamily, type PackType, type TaskObject } from '@kiln/contract';
import { inputReader, readStoredRequest } from '../../tasks/stored-inputs.ts';
import type { TaskRow } from '../../store/tasks.ts';
import type { PoolAnswer, PoolQuestion } from '../../store/relay-pool.ts';
import { archiveResult, handThroughResult, unarchivableKeys, type ResultIds } from './archive.ts';
import {
  BREAKER_DEFAULTS, isOpen, recordOutcome, type BreakerSettings, type UpstreamHealth, type UpstreamOutcome,
} from './breaker.ts';
import { newRelayState, nextPollDelayMs, readRelayState, sentState, type RelayState, type SentNames } from './relay-state.ts';
import { LIST_PAGE_SIZE, ListPolls } from './list-polls.ts';
import { effectiveLimit, loweredAfterRefusal, type LoweredLimits } from './pool-limit.ts';
import { chooseUpstream } from './routing.ts';
import { endpointPathFor, reportedUnits, upstreamClient, type UpstreamConfig } from './upstream.ts';
import type { UpstreamRegistry } from './upstream-registry.ts';
import { upstreamTask } from './upstream-task.ts';
import { namedUpstream, type NamedIds, type OwnerOf } from './owners.ts';
import { kilnIdsOf, kilnText, toUpstreamIds } from './id-map.ts';
import { relayedParentVideo, type StoredOutput } from './parent-video.ts';
import { newTaskId } from '../../tasks/ids.ts';
import { isBusy, madeNothing, mayRetry, outcomeOf, requestRefusal, withCode } from './upstream-errors.ts';


export interface RelayOptions {
  /** Where the upstream calls back for a task (see callback-tokens.ts); no callbacks, polling only, when absent. */
  callbackUrl?: (taskId: string) => string;
  /** When to ask the upstream again after this many answers that changed nothing (relay-state.ts by default). */
  pollDelayMs?: (polls: number) => number;
  fetch?: typeof fetch;
  /** How much of the upstream's pool is held, and wanted ahead of a task (store/relay-pool.ts). */
  poolState?: (question: PoolQuestion) => Promise<PoolAnswer>;
  /**
   * How long after it was created a task may stay unfinished upstream (or the upstream unable to say) before it is
   * taken for lost: the last query's answer fails it, unbilled. 24 h by default.
   */
  giveUpAfterMs?: number;
  /** Slots an upstream pool's unfinished tasks hold or wait for (store/relay-pool.ts), for routing; 0 when absent. */
  poolLoad?: (upstream: string, pack: PackType) => Promise<number>;
  /**
   * The upstream holding an id a tenant names (owners.ts): a video, audio, voice or element a relayed task made, an
   * editing session a relayed call opened. The task naming it is routed there.
   */
  ownerOf?: OwnerOf;
  /** Keeps an upstream's new breaker state (its registry row); the breaker is not kept across answers when absent. */
  saveHealth?: (upstream: string, health: UpstreamHealth) => Promise<void>;
  /** The least time between two reads of one upstream family's task list (list-polls.ts); 5 s by default. */
  listIntervalMs?: number;
  /** Makes a waiting task's next step due now (its pending job), so it takes the turn it has before others. */
  wakeTask?: (taskId: string) => Promise<void>;
  /** A tenant's stored video by kiln id, for a task's `parent_video` (parent-video.ts); none shown when absent. */
  storedOutput?: StoredOutput;
  /** Keeps the pool limits an upstream's refusals set (its registry row; pool-limit.ts). */
  saveLowered?: (upstream: string, lowered: LoweredLimits) => Promise<void>;
  breaker?: BreakerSettings;
}


const GIVE_UP_AFTER_MS = 24 * 3_600_000;

/** A create as it goes upstream: the body, and what it names as the tenant knows it (kept with the task once sent). */
interface UpstreamRequest extends SentNames {
  body: Record<string, unknown>;
}

const spanOf = (ms: number) => (ms >= 3_600_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.round(ms / 1000)} s`);

/** How often a task waiting for an upstream slot looks again: a look is a query of kiln's store, not of the upstream. */
const POOL_RECHECK_MS = 1_000;
/**
 * How long the create request has to send a task itself before a worker takes it for lost (a crash mid-request) and
 * recovers it by external id: past the SDK's 30 s request timeout.
 */
const INLINE_SEND_MS = 35_000;
/** How soon a task with room upstream looks again after waking the older tasks that go before it. */
const AFTER_OLDER_MS = 100;
/** How long it lets older tasks with room go first before it goes anyway. */
const OLDER_PATIENCE_MS = 20_000;
/**
 * Reads of an upstream family's list at most this often: a task learns of its end at most this late (at most its
 * own poll interval late, once that is longer), and 300 tasks of 5 minutes cost ~0.1 reads each instead of 20 queries.
 */
const LIST_INTERVAL_MS = 5_000;
/** Reads of a failing result URL before the task fails: with the poll intervals, about 4 minutes of trying. */
const ARCHIVE_ATTEMPTS = 20;
/** How often a task waiting for its open upstream looks for another that carries it (one added, one recovered). */
const OPEN_RECHECK_MS = 5_000;

export class RelayEngine implements Engine {
  readonly name = 'relay';
  private readonly pollDelayMs: (polls: number) => number;
  private readonly giveUpAfterMs: number;
  private readonly breaker: BreakerSettings;
  private readonly listIntervalMs: number;
  private readonly lists: ListPolls;
  /** SDK clients per upstream, made again when the upstream changes (its updatedAt), one per endpoint path. */
  private readonly clients = new Map<string, { version: number | undefined; byPath: Map<string, Kling> }>();

  constructor(private readonly upstreams: Pick<UpstreamRegistry, 'all' | 'byName'>, private readonly options: RelayOptions = {}) {
    this.pollDelayMs = options.pollDelayMs ?? nextPollDelayMs;
    this.giveUpAfterMs = options.giveUpAfterMs ?? GIVE_UP_AFTER_MS;
    this.breaker = options.breaker ?? BREAKER_DEFAULTS;
    this.listIntervalMs = options.listIntervalMs ?? LIST_INTERVAL_MS;
    this.lists = new ListPolls(this.listIntervalMs);
  }

  async admit({ taskId, tenant, family, body }: AdmitInput): Promise<string> {
    // A follow-up naming a video, audio, voice, element or session an upstream made goes to that account: only that
    // one knows the id.
    const owner = (await this.namedIds(tenant.id, family, body)).upstream;
    const model = isNewStandard(family) ? family.modelId : typeof body.model_name === 'string' ? body.model_name : null;
    const chosen = owner ?? await this.route(await this.upstreams.all(), { family: family.name, model, pack: family.pack });
    if (!chosen) {
      throw new KlingError(5000, `this account's tasks go to the relay engine, and no upstream carries ${family.name}${model ? ` (${model})` : ''}; nothing was billed`);
    }
    const state = newRelayState(chosen.name, taskId);
    // Room in the pool now and nobody waiting: the create request sends it itself (sendNow).
    const now = Date.now();
    if (isOpen(chosen.health, now) || !(await this.hasRoomNow(chosen, family.pack, family.slots(body), now))) return JSON.stringify(state);
    return JSON.stringify({ ...state, phase: 'sending', inlineUntil: now + INLINE_SEND_MS } satisfies RelayState);
  }

  /** Whether the pool has room for a new task of `slots` with no task waiting before it. */
  private async hasRoomNow(upstream: UpstreamConfig, pack: PackType, slots: number, now: number): Promise<boolean> {
    const limit = effectiveLimit(upstream.concurrency?.[pack], upstream.lowered?.[pack], now);
    if (limit === undefined) return true;
    if (!this.options.poolLoad) return false;
    return (await this.options.poolLoad(upstream.name, pack)) + slots <= limit;
  }

  /**
   * The create request's own send of a task admitted with room (admit): the upstream create, while the client waits.
   * Accepted: the task goes on as sent. Refused for the request's sake (1201, 1301, …): the refusal, as Kling gave it,
   * for the client (the task is taken back, unbilled). Anything else (busy, unreachable, an account refusing for its
   * own sake, no clear answer) leaves the task to its job, which starts by asking the upstream for it by external id.
   */
  async sendNow(task: TaskRow, body: Record<string, unknown>): Promise<{ state: string } | { refused: KlingError } | undefined> {
    const state = readRelayState(task.engine_json);
    if (state.phase !== 'sending' || state.inlineUntil === undefined) return undefined;
    const { inlineUntil: _, ...rest } = state;
    const upstream = await this.upstreams.byName(state.upstream);
    if (!upstream) return { state: JSON.stringify(rest) };
    const now = Date.now();
    const resource = this.resource(task, upstream);
    let sent: UpstreamRequest;
    try {
      sent = await this.bodyFor(task, state, upstream, body);
    } catch (error) {
      // What the request names changed since admit checked it (a session expired, an upstream removed): refused.
      if (error instanceof KlingError) return { refused: error };
      // Anything else (the store failing a lookup): the task's job sends it, as after any failed inline send.
      return { state: JSON.stringify(rest) };
    }
    try {
      const upstreamTaskId = await resource.create(sent.body);
      await this.record(upstream, { kind: 'handled' }, now);
      return { state: JSON.stringify(sentState(rest, upstreamTaskId, now, sent)) };
    } catch (error) {
      await this.record(upstream, outcomeOf(error), now);
      const refused = requestRefusal(error);
      // The upstream's message quotes its own ids: the client sees kiln's.
      if (refused) return { refused: new KlingError(refused.code, kilnText(refused.message, sent.named)) };
      // Busy: the account has less room than kiln thought; the task waits its turn in kiln like the others.
      if (isBusy(error)) await this.lowerAfterBusy(task, upstream, now);
      // Certainly not made (busy, refused for the account's sake, never connected): the task is back to waiting, and
      // may go to another account. Otherwise it may exist: its job asks the upstream for it first.
      if (isBusy(error) || madeNothing(error)) return { state: JSON.stringify({ ...rest, phase: 'new', polls: 1 } satisfies RelayState) };
      return { state: JSON.stringify(rest) };
    }
  }

  async step(task: TaskRow, context: StepContext): Promise<Step> {
    const state = readRelayState(task.engine_json);
    // The task stays on the upstream it was routed to; removing an upstream is refused while tasks are on it.
    const upstream = await this.upstreams.byName(state.upstream);
    if (!upstream) throw new TaskFailure(`the upstream '${state.upstream}' is no longer registered; the task was not billed`);
    const { now } = context;
    if (state.phase !== 'sent' && isOpen(upstream.health, now)) {
      // Nothing has been sent from `new`: the task may go to another account at once.
      const other = state.phase === 'new' ? await this.alternative(task, upstream, now) : undefined;
      if (other) return { kind: 'save', state: JSON.stringify({ ...state, upstream: other.name }) };
      return { kind: 'wait', until: Math.min(upstream.health!.openUntil!, now + OPEN_RECHECK_MS) };
    }
    switch (state.phase) {
      case 'new': {
        const turn = await this.turn(task, state, upstream, now);
        if (turn === 'wait') {
          // Time spent for older tasks counts only while there is room for them.
          const { olderSince, ...waiting } = state;
          return { kind: 'wait', until: now + POOL_RECHECK_MS, ...(olderSince !== undefined ? { state: JSON.stringify(waiting) } : {}) };
        }
        // The older ones were woken to go first; one that does not go for long (its job held by a worker that died,
        // until the lease runs out) is not waited for past OLDER_PATIENCE_MS, so it never holds the pool up.
        const olderSince = state.olderSince ?? now;
        if (turn === 'after-older' && now - olderSince < OLDER_PATIENCE_MS) {
          return { kind: 'wait', until: now + AFTER_OLDER_MS, ...(state.olderSince === undefined ? { state: JSON.stringify({ ...state, olderSince }) } : {}) };
        }
        // Stored before anything is sent: from here on, the task may exist upstream (and holds its slots).
        const { olderSince: _, ...sending } = state;
        return { kind: 'save', state: JSON.stringify({ ...sending, phase: 'sending' }) };
      }
      case 'sending':
        // The create request is sending it (sendNow): its answer is stored, or the time is up and it is recovered.
        if (state.inlineUntil !== undefined && now < state.inlineUntil) return { kind: 'wait', until: Math.min(state.inlineUntil, now + POOL_RECHECK_MS) };
        return this.send(task, state, upstream, context);
      case 'sent':
        return this.follow(task, state, upstream, context);
    }
  }

  /**
   * A relayed task ended and freed its upstream slots: the pool's next waiting task is woken to take them now rather
   * than at its next look (up to POOL_RECHECK_MS later).
   */
  async ended(task: TaskRow): Promise<void> {
    if (!this.options.poolState || !this.options.wakeTask) return;
    const state = readRelayState(task.engine_json);
    if (state.phase === 'new') return;
    const { next } = await this.options.poolState({ upstream: state.upstream, pack: task.pack, taskId: task.id });
    if (next) await this.options.wakeTask(next);
  }

  /**
   * The ids the request names that upstreams hold, with the account and the upstream's ids (owners.ts). A session
   * kiln opened itself (before the tenant relayed) is known to no upstream: the task is refused at create, unbilled,
   * saying so, rather than sent to fail there with "no session".
   */
  private async namedIds(tenantId: string, family: AnyFamily, body: Record<string, unknown>): Promise<NamedIds> {
    if (!this.options.ownerOf) return { held: new Map() };
    const found = await namedUpstream({ ownerOf: this.options.ownerOf, upstreams: this.upstreams }, tenantId, family.references, body);
    if ('unknownSession' in found) {
      const { field, id } = found.unknownSession;
      throw new KlingError(1201, `${field}: session '${id}' was opened by kiln, not through the relay, so Kling does not know it; open one again (identify-face, multi-elements/init-selection) and name that; nothing was billed`);
    }
    return found;
  }

  private route(upstreams: readonly UpstreamConfig[], task: { family: string; model: string | null; pack: PackType }, now = Date.now()) {
    return chooseUpstream(upstreams, task, (upstream, pack) => this.options.poolLoad?.(upstream, pack) ?? Promise.resolve(0), now);
  }

  /** Another upstream whose breaker is closed and that carries the task, if any. */
  private async alternative(task: TaskRow, from: UpstreamConfig, now: number): Promise<UpstreamConfig | undefined> {
    const others = (await this.upstreams.all()).filter((u) => u.name !== from.name && !isOpen(u.health, now));
    return this.route(others, { family: task.family, model: task.model, pack: task.pack as PackType }, now);
  }

  /** Feeds an answer (or the lack of one) to the upstream's breaker (breaker.ts). */
  private record(upstream: UpstreamConfig, outcome: UpstreamOutcome | undefined, now: number): Promise<void> {
    return recordOutcome(upstream, outcome, now, this.breaker, this.options.saveHealth);
  }

  /**
   * Whether the task goes upstream now: `go` when the pool has room for it and no waiting task has the turn before
   * it; `after-older` when there is room for it and for those before it, which are woken to go first (a task refused
   * with 1303 may be in a long pause, and the younger ones would otherwise overtake it: each tenant's tasks reach the
   * upstream in the order they were made); `wait` when the pool is full.
   */
  private async turn(task: TaskRow, state: RelayState, upstream: UpstreamConfig, now: number): Promise<'go' | 'after-older' | 'wait'> {
    const pack = task.pack as PackType;
    const limit = effectiveLimit(upstream.concurrency?.[pack], upstream.lowered?.[pack], now);
    if (limit === undefined || !this.options.poolState) return 'go';
    const { held, ahead, next } = await this.options.poolState({ upstream: state.upstream, pack: task.pack, taskId: task.id });
    if (held + ahead + task.slots > limit) return 'wait';
    if (ahead === 0 || !next || !this.options.wakeTask) return 'go';
    await this.options.wakeTask(next);
    return 'after-older';
  }

  private client(upstream: UpstreamConfig, model: string | null): Kling {
    let entry = this.clients.get(upstream.name);
    if (!entry || entry.version !== upstream.updatedAt) this.clients.set(upstream.name, (entry = { version: upstream.updatedAt, byPath: new Map() }));
    const endpointPath = endpointPathFor(upstream, model);
    let client = entry.byPath.get(endpointPath);
    if (!client) entry.byPath.set(endpointPath, (client = upstreamClient(upstream, this.options.fetch, endpointPath)));
    return client;
  }

  /** The task's upstream: a legacy family's resource or the new standard's create and /tasks (upstream-task.ts). */
  private resource(task: TaskRow, upstream: UpstreamConfig) {
    return upstreamTask(this.client(upstream, task.model), task);
  }

  /**
   * Adopts the upstream task of this external id if an earlier attempt made it; otherwise creates it. A create the
   * account refused for its own sake, or that never reached it, right after the query found no such task, made
   * nothing there: the task moves to another account, if one carries it.
   */
  private async send(task: TaskRow, state: RelayState, upstream: UpstreamConfig, context: StepContext): Promise<Step> {
    const { now } = context;
    const resource = this.resource(task, upstream);
    // Read before asking the upstream anything: a stored input kiln cannot read is kiln's fault, not the account's.
    const sent = await this.upstreamBody(task, state, upstream, context);
    let absent = false;
    try {
      const existing = await resource.recover(state.externalId);
      absent = existing === undefined;
      const upstreamTaskId = existing?.task_id ?? (await resource.create(sent.body));
      await this.record(upstream, { kind: 'handled' }, now);
      return { kind: 'wait', until: now + this.pollDelayMs(0), state: JSON.stringify(sentState(state, upstreamTaskId, now, sent)) };
    } catch (error) {
      await this.record(upstream, outcomeOf(error), now);
      const other = absent && madeNothing(error) ? await this.alternative(task, upstream, now) : undefined;
      if (other) return { kind: 'save', state: JSON.stringify({ ...state, upstream: other.name, phase: 'new', polls: 0 }) };
      if (absent && isBusy(error)) return this.refusedAsBusy(task, state, upstream, now);
      if (mayRetry(error)) return this.later(state, now);
      if (error instanceof KlingApiError) throw new TaskFailure(`upstream refused the task: ${kilnText(withCode(error), sent.named)}`);
      throw error;
    }
  }

  /**
   * The upstream said 1303 (or 1302) to a create kiln's limit allowed: the account has less room than kiln thought.
   * The pool's limit drops to what kiln's tasks the upstream accepted hold there (not those still being sent, which
   * are as likely refused: counting them left the limit too high in a burst, and younger tasks overtook older ones),
   * and the task, which made nothing upstream, goes back to waiting for its turn, first among the waiting as the
   * oldest (after a growing pause, so an account busy with others' work is not asked every second).
   */
  private async refusedAsBusy(task: TaskRow, state: RelayState, upstream: UpstreamConfig, now: number): Promise<Step> {
    await this.lowerAfterBusy(task, upstream, now);
    const polls = state.polls + 1;
    return { kind: 'wait', until: now + this.pollDelayMs(polls), state: JSON.stringify({ ...state, phase: 'new', polls }) };
  }

  private async lowerAfterBusy(task: TaskRow, upstream: UpstreamConfig, now: number): Promise<void> {
    if (!this.options.poolState || !this.options.saveLowered) return;
    const pack = task.pack as PackType;
    const { accepted } = await this.options.poolState({ upstream: upstream.name, pack, taskId: task.id });
    const lowered = loweredAfterRefusal(accepted, now);
    if (lowered.limit < (effectiveLimit(upstream.concurrency?.[pack], upstream.lowered?.[pack], now) ?? Number.POSITIVE_INFINITY)) {
      upstream.lowered = { ...upstream.lowered, [pack]: lowered };
      await this.options.saveLowered(upstream.name, upstream.lowered);
    }
  }

  private async upstreamBody(task: TaskRow, state: RelayState, upstream: UpstreamConfig, context: StepContext): Promise<UpstreamRequest> {
    // The request as the client sent it: large Base64 inputs kiln keeps in storage are read back into it.
    const body = (await readStoredRequest(task.request_json, inputReader(task.id, context.mediaFile))) as Record<string, unknown>;
    try {
      return await this.bodyFor(task, state, upstream, body);
    } catch (error) {
      // What it names is no longer there to send (a session expired while the task waited its turn, an upstream removed).
      if (error instanceof KlingError) throw new TaskFailure(error.message);
      throw error;
    }
  }

  /** The client's request as the upstream gets it (the upstream's ids for kiln's), and kiln's ids of those named. */
  private async bodyFor(task: TaskRow, state: RelayState, upstream: UpstreamConfig, request: Record<string, unknown>): Promise<UpstreamRequest> {
    const resource = this.resource(task, upstream);
    const family = familyByName(task.family)!;
    const { held, sessionVideo } = await this.namedIds(task.tenant_id, family, request);
    // The client's callback_url stays kiln's to call; the upstream calls kiln's own hook for the task, if any.
    const body = resource.body(toUpstreamIds(request, family.references, held), state.externalId, this.options.callbackUrl?.(task.id));
    return { body, named: kilnIdsOf(held), ...(sessionVideo ? { sessionVideo } : {}) };
  }

  /**
   * kiln's ids of what the task's request named, by upstream id: kept when it was sent; a task sent before kiln kept
   * them looks them up again (its ids were the upstream's, so they map to themselves, which still tells a voice the
   * tenant had from one the task made).
   */
  private async namedOf(task: TaskRow, state: RelayState): Promise<ReadonlyMap<string, string>> {
    if (state.named) return new Map(Object.entries(state.named));
    const found = await this.namedIds(task.tenant_id, familyByName(task.family)!, JSON.parse(task.request_json) as Record<string, unknown>).catch(() => undefined);
    return found ? kilnIdsOf(found.held) : new Map();
  }

  /** Asks the upstream where its task stands and moves the kiln task along with it. */
  private async follow(task: TaskRow, state: RelayState, upstream: UpstreamConfig, context: StepContext): Promise<Step> {
    // Outputs already kept (the step that stored them ended before the status changed): only the success is left.
    if (task.result_json !== null) return { kind: 'succeed' };
    // This step's query is the last one for a task the upstream has had too long: unfinished, it is taken for lost.
    const lost = context.now - task.created_at >= this.giveUpAfterMs;
    const giveUp = (): Step => ({ kind: 'fail', message: `the upstream did not finish the task within ${spanOf(this.giveUpAfterMs)}; it was not billed` });
    let upstreamTask;
    try {
      const found = await this.query(task, state, upstream, context.now);
      if ('waitUntil' in found) return { kind: 'wait', until: found.waitUntil };
      upstreamTask = found.task;
      if (found.seenAt !== undefined) state = { ...state, seenAt: found.seenAt };
      // An answer about a task already there does not close an open breaker: an account out of packs still answers
      // those, and takes no new task; the first create after the cooldown decides.
      if (!isOpen(upstream.health, context.now)) await this.record(upstream, { kind: 'handled' }, context.now);
    } catch (error) {
      await this.record(upstream, outcomeOf(error), context.now);
      if (mayRetry(error)) return lost ? giveUp() : this.later(state, context.now);
      throw error;
    }
    const status = upstreamTask.task_status;
    if (status === 'failed') return { kind: 'fail', message: upstreamTask.task_status_msg ? kilnText(upstreamTask.task_status_msg, await this.namedOf(task, state)) : 'the upstream task failed' };
    if (status !== 'succeed' && lost) return giveUp();
    if (status === 'submitted') return this.later(state, context.now);
    // processing, or already done: kiln's task shows processing first, as Kling's own lifecycle does.
    if (task.status === 'submitted') return { kind: 'start' };
    if (status !== 'succeed') return this.later(state, context.now);
    const result = (upstreamTask.task_result ?? {}) as Record<string, unknown>;
    const unknown = unarchivableKeys(result);
    if (unknown.length) throw new TaskFailure(`the relay cannot keep this result yet (${unknown.join(', ')}); the task was not billed`);
    // An id the request named is shown as the tenant named it (archive.ts, parent-video.ts).
    const named = await this.namedOf(task, state);
    let stored;
    try {
      const ids: ResultIds = { taskId: task.id, newId: newTaskId, named };
      stored = upstream.results === 'passthrough' ? await handThroughResult(result, ids) : await archiveResult(result, context, ids);
    } catch (error) {
      // A result URL that fails (a CDN's 500, a reset) is read again later, as a poll is; one that keeps failing ends
      // the task unbilled, saying why, rather than after the runner's few quick attempts meant for kiln's own faults.
      const attempts = (state.archiveAttempts ?? 0) + 1;
      const why = error instanceof Error ? error.message : String(error);
      if (attempts >= ARCHIVE_ATTEMPTS) return { kind: 'fail', message: `the upstream's result could not be kept (${why}); the task was not billed` };
      return { kind: 'wait', until: context.now + this.pollDelayMs(attempts), state: JSON.stringify({ ...state, archiveAttempts: attempts }) };
    }
    const request = JSON.parse(task.request_json) as Record<string, unknown>;
    const parentVideo = await relayedParentVideo(upstreamTask, request, task.tenant_id, named, state.sessionVideo, this.options.storedOutput);
    if (parentVideo) stored = { parentVideo, ...stored };
    const billed = reportedUnits((upstreamTask as { final_unit_deduction?: unknown }).final_unit_deduction);
    return { kind: 'store', result: stored, ...(billed !== undefined ? { units: billed } : {}) };
  }

  /**
   * The upstream task as it stands: from the family's shared list page where the upstream is Kling's own API and
   * does not call back (list-polls.ts), else asked by id — as is a task the page does not show (beyond a full page).
   */
  private async query(task: TaskRow, state: RelayState, upstream: UpstreamConfig, now: number): Promise<{ task: TaskObject; seenAt?: number } | { waitUntil: number }> {
    const resource = this.resource(task, upstream);
    const listed = resource.list && upstream.pathStyle === 'official' && !this.options.callbackUrl;
    if (listed) {
      const key = `${upstream.name}\n${upstream.updatedAt}\n${task.family}`;
      const view = await this.lists.view(key, () => resource.list!(LIST_PAGE_SIZE), state.seenAt ?? 0, this.pollDelayMs(state.polls), now);
      if ('waitUntil' in view) return view;
      const found = view.page.tasks.get(state.upstreamTaskId!);
      if (found) return { task: found, seenAt: view.page.at };
      // Read before the create went out: the next page will show it.
      if (view.page.at <= (state.sentAt ?? 0)) return { waitUntil: view.page.at + this.listIntervalMs };
    }
    return { task: await resource.get(state.upstreamTaskId!) };
  }

  private later(state: RelayState, now: number): Step {
    const polls = state.polls + 1;
    return { kind: 'wait', until: now + this.pollDelayMs(polls), state: JSON.stringify({ ...state, polls }) };
  }
}
