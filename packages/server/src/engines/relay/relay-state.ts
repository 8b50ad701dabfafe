// What the relay keeps per task (the task's engine_json), and how it moves on. Written before each side effect:
//   new      → sending   before the create is sent, so a crash after sending is recovered by external id, never resent
//   sending  → sent      once the upstream accepted (or the recovery query found the task)
// A task admitted while its pool has room starts in `sending` with `inlineUntil`: the create request itself sends it
// (RelayEngine.sendNow), so the client hears the upstream's refusal as Kling gave it; workers leave it alone until
// then, and recover it by external id only if that request never finished (a crash).
// The upstream's external_task_id is derived from kiln's task id, so the same kiln task always names the same
// upstream task, whichever process or attempt sends it.

import type { SessionSource } from './owners.ts';

export type RelayPhase = 'new' | 'sending' | 'sent';

export interface RelayState {
  upstream: string;
  /** The external_task_id the upstream task carries: `kiln-<kiln task id>`. */
  externalId: string;
  phase: RelayPhase;
  upstreamTaskId?: string;
  /** Upstream answers seen while the task runs (polls, busy refusals): they space the next question out. */
  polls: number;
  /** When the create was sent (ms): a list page read before then cannot show the task. */
  sentAt?: number;
  /** When the newest list page this task took its state from was read (list-polls.ts). */
  seenAt?: number;
  /** Failed reads of the upstream's result so far (archive.ts): they space the next one out, and end in failure. */
  archiveAttempts?: number;
  /** Being sent by the create request until then (ms); after it, a worker recovers it by external id. */
  inlineUntil?: number;
  /** Since when it has had room upstream but let older tasks go first (relay-engine.ts `turn`), ms. */
  olderSince?: number;
  /**
   * The ids the request named that the upstream holds, upstream id → kiln id, found when it was sent: the result
   * shows them as the tenant named them (id-map.ts), however long the task takes.
   */
  named?: Record<string, string>;
  /** The video of the editing session the request named, as the tenant opened it: the task's parent_video. */
  sessionVideo?: SessionSource;
}

/** What a create's request named, kept when it is sent (relay-engine.ts UpstreamRequest). */
export interface SentNames {
  named: ReadonlyMap<string, string>;
  sessionVideo?: SessionSource;
}

export const upstreamExternalId = (taskId: string) => `kiln-${taskId}`;

export function newRelayState(upstream: string, taskId: string): RelayState {
  return { upstream, externalId: upstreamExternalId(taskId), phase: 'new', polls: 0 };
}

/** The state once the upstream holds the task (accepted, or found by external id): polls start afresh. */
export function sentState(state: RelayState, upstreamTaskId: string, now: number, { named, sessionVideo }: SentNames): RelayState {
  return {
    ...state, phase: 'sent', upstreamTaskId, polls: 0, sentAt: now,
    named: Object.fromEntries(named), ...(sessionVideo ? { sessionVideo } : {}),
  };
}

export function readRelayState(json: string | null): RelayState {
  const state = json ? (JSON.parse(json) as Partial<RelayState>) : {};
  if (typeof state.upstream !== 'string' || typeof state.externalId !== 'string' || typeof state.phase !== 'string') {
    throw new Error('the task has no relay state');
  }
  return { polls: 0, ...state } as RelayState;
}

/**
 * When to ask the upstream again: soon after sending (short tasks end in seconds), then less often, at most every
 * 15 s — a 5-minute task costs about 25 questions instead of one every second.
 */
export function nextPollDelayMs(polls: number): number {
  return Math.min(15_000, 1_000 * 1.5 ** Math.min(polls, 10));
}
