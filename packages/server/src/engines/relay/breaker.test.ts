// An upstream account's breaker: when it opens, for how long, and what closes it.

import { describe, expect, it } from 'vitest';
import { BREAKER_DEFAULTS, HEALTHY, healthView, isOpen, nextHealth, type UpstreamHealth, type UpstreamOutcome } from './breaker.ts';

const down: UpstreamOutcome = { kind: 'unreachable', reason: 'connection failed: ECONNREFUSED' };
const blocked: UpstreamOutcome = { kind: 'account', reason: '1102 Resource pack depleted or expired' };

function after(outcomes: UpstreamOutcome[], now: number, from: UpstreamHealth = HEALTHY): UpstreamHealth {
  return outcomes.reduce((health, outcome) => nextHealth(health, outcome, now), from);
}

describe('the upstream breaker', () => {
  it('opens after three failures in a row, not before, and says why', () => {
    const two = after([down, down], 1_000);
    expect(isOpen(two, 1_000)).toBe(false);
    expect(healthView(two, 1_000).state).toBe('failing');
    const three = nextHealth(two, down, 1_000);
    expect(three).toEqual({ failures: 3, openUntil: 1_000 + BREAKER_DEFAULTS.cooldownMs, cooldownMs: BREAKER_DEFAULTS.cooldownMs, reason: down.reason });
    expect(healthView(three, 1_000).state).toBe('open');
  });

  it('counts failures in a row only: an answer the account handled resets them', () => {
    expect(isOpen(after([down, down, { kind: 'handled' }, down, down], 0), 0)).toBe(false);
  });

  it('lets requests through once the cooldown has passed; a failure then reopens it for twice as long, up to the cap', () => {
    const open = after([down, down, down], 0);
    const probeAt = open.openUntil!;
    expect(isOpen(open, probeAt)).toBe(false);
    expect(healthView(open, probeAt).state).toBe('probing');
    const reopened = nextHealth(open, down, probeAt);
    expect(reopened.cooldownMs).toBe(2 * BREAKER_DEFAULTS.cooldownMs);
    expect(reopened.openUntil).toBe(probeAt + 2 * BREAKER_DEFAULTS.cooldownMs);
    let health = reopened;
    for (let i = 0; i < 10; i++) health = nextHealth(health, down, health.openUntil!);
    expect(health.cooldownMs).toBe(BREAKER_DEFAULTS.maxCooldownMs);
  });

  it('ignores failures of requests sent before it opened', () => {
    const open = after([down, down, down], 0);
    expect(nextHealth(open, down, 10).openUntil).toBe(open.openUntil);
  });

  it('closes on the first answer the account handles', () => {
    const open = after([down, down, down], 0);
    expect(nextHealth(open, { kind: 'handled' }, open.openUntil!)).toEqual(HEALTHY);
  });

  it('opens at once, for the account cooldown, when the account itself is refused', () => {
    const health = nextHealth(HEALTHY, blocked, 5_000);
    expect(health.openUntil).toBe(5_000 + BREAKER_DEFAULTS.accountCooldownMs);
    expect(health.reason).toBe(blocked.reason);
  });
});
