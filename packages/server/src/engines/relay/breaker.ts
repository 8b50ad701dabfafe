// An upstream account's health, as a circuit breaker: what each answer of the upstream does to it, and whether the
// account takes requests now. Pure: the relay keeps the state in the registry (the upstream's row), shared by every
// process, and writes it only when it changes.
//
//   healthy  → failing   an answer that says nothing of the task (no connection, a timeout, 5xx, a proxy's page)
//   failing  → open      after `failuresToOpen` such answers in a row: no requests until `openUntil`
//   open     → (probe)   once `openUntil` has passed requests flow again; the next failure reopens it for twice as
//                        long (up to `maxCooldownMs`), the next success closes it
//   any      → open      an answer that blocks the account (1100–1103, 1304, a refused key): at once, for
//                        `accountCooldownMs`, since a person has to act (buy packs, fix the key) before it can work
//   any      → healthy   any answer that the account handled (a task made, found or refused for its own content)

import type { UpstreamHealthView } from '@kiln/contract';

export interface UpstreamHealth {
  /** Failures in a row since the last answer the account handled. */
  failures: number;
  /** Until when (ms) the breaker is open; null when closed. Past: half-open, the next answer decides. */
  openUntil: number | null;
  /** How long it was last opened for (ms), doubled on each reopening; 0 when closed. */
  cooldownMs: number;
  /** The last failure, in words (a Kling code and message, or the connection error). */
  reason: string | null;
}

export type UpstreamOutcome =
  | { kind: 'handled' }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'account'; reason: string };

export interface BreakerSettings {
  failuresToOpen: number;
  cooldownMs: number;
  maxCooldownMs: number;
  accountCooldownMs: number;
}

/**
 * Three failures in a row: one lost answer is normal on the internet, three are an outage. 30 s first, doubling to 10
 * minutes: an outage of minutes costs a handful of probes. An account that needs a person is left alone 10 minutes.
 */
export const BREAKER_DEFAULTS: BreakerSettings = {
  failuresToOpen: 3,
  cooldownMs: 30_000,
  maxCooldownMs: 10 * 60_000,
  accountCooldownMs: 10 * 60_000,
};

export const HEALTHY: UpstreamHealth = { failures: 0, openUntil: null, cooldownMs: 0, reason: null };

export function nextHealth(health: UpstreamHealth, outcome: UpstreamOutcome, now: number, settings = BREAKER_DEFAULTS): UpstreamHealth {
  switch (outcome.kind) {
    case 'handled':
      return HEALTHY;
    case 'account':
      return { failures: health.failures + 1, openUntil: now + settings.accountCooldownMs, cooldownMs: settings.accountCooldownMs, reason: outcome.reason };
    case 'unreachable': {
      const failures = health.failures + 1;
      // A failure while open changes nothing: requests sent before it opened are still coming back.
      if (health.openUntil !== null && health.openUntil > now) return { ...health, failures, reason: outcome.reason };
      if (failures < settings.failuresToOpen) return { ...health, failures, reason: outcome.reason };
      const cooldownMs = health.cooldownMs ? Math.min(settings.maxCooldownMs, health.cooldownMs * 2) : settings.cooldownMs;
      return { failures, openUntil: now + cooldownMs, cooldownMs, reason: outcome.reason };
    }
  }
}

/** Whether the account takes no requests now. */
export const isOpen = (health: UpstreamHealth | undefined, now: number): boolean =>
  health?.openUntil != null && health.openUntil > now;

export function sameHealth(a: UpstreamHealth, b: UpstreamHealth): boolean {
  return a.failures === b.failures && a.openUntil === b.openUntil && a.cooldownMs === b.cooldownMs && a.reason === b.reason;
}

/** The breaker as /admin/upstreams and the console show it (the state named as the contract names it). */
export function healthView(health: UpstreamHealth = HEALTHY, now: number): UpstreamHealthView {
  const state = isOpen(health, now) ? 'open' : health.openUntil !== null ? 'probing' : health.failures > 0 ? 'failing' : 'healthy';
  return { state, failures: health.failures, open_until: health.openUntil, reason: health.reason };
}

/**
 * Feeds an answer (or the lack of one: no outcome) to an upstream's breaker, for tasks and synchronous calls alike;
 * written only when the state changes, so the steady stream of good answers costs nothing. Processes race on the
 * row; the last write wins, which can lose a failure count, never a task: the breaker only decides where new
 * requests go. The upstream's config object is updated too: this process acts on it at once, the others read it
 * from the registry within a second.
 */
export async function recordOutcome(
  upstream: { name: string; health?: UpstreamHealth },
  outcome: UpstreamOutcome | undefined,
  now: number,
  settings: BreakerSettings,
  save: ((upstream: string, health: UpstreamHealth) => Promise<void>) | undefined,
): Promise<void> {
  if (!outcome || !save) return;
  const before = upstream.health ?? HEALTHY;
  const after = nextHealth(before, outcome, now, settings);
  if (sameHealth(before, after)) return;
  upstream.health = after;
  await save(upstream.name, after);
}
