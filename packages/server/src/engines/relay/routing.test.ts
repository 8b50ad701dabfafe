// Which upstream a task is routed to: only those carrying its model and family; the highest priority; among equals
// the one with the most free slots of the task's pack type (no limit counts as free); the pool is asked only when
// there is a choice; an upstream whose breaker is open only when nothing else carries the task.

import { describe, expect, it } from 'vitest';
import { chooseUpstream } from './routing.ts';
import type { UpstreamConfig } from './upstream.ts';

const up = (name: string, more: Partial<UpstreamConfig> = {}): UpstreamConfig => ({ name, baseUrl: `https://${name}.example`, pathStyle: 'official', apiKey: 'k', ...more });
const task = { family: 'text2video', model: 'kling-v2-6', pack: 'video' as const };

describe('routing', () => {
  it('keeps to the upstreams that carry the model and family, highest priority first', async () => {
    const ups = [up('a', { models: ['kling-v1'], priority: 9 }), up('b', { families: ['omni-video'], priority: 8 }), up('c', { priority: 1 }), up('d', { priority: 2, models: ['kling-v2-6'] })];
    expect((await chooseUpstream(ups, task, async () => 0))?.name).toBe('d');
    expect(await chooseUpstream([up('a', { models: ['kling-v1'] })], task, async () => 0)).toBeUndefined();
    // A family without models (model null) only goes to upstreams naming no models.
    expect((await chooseUpstream([up('a', { models: ['kling-v1'] }), up('b')], { ...task, model: null }, async () => 0))?.name).toBe('b');
  });

  it('among equal priorities, takes the one with the most free slots; an upstream without a limit is always free', async () => {
    const load: Record<string, number> = { a: 4, b: 1, c: 0 };
    const asked: string[] = [];
    const loadOf = async (name: string) => { asked.push(name); return load[name]; };
    const limited = [up('a', { concurrency: { video: 5 } }), up('b', { concurrency: { video: 3 } })];
    expect((await chooseUpstream(limited, task, loadOf))?.name).toBe('b');
    expect((await chooseUpstream([...limited, up('c')], task, loadOf))?.name).toBe('c');
    asked.length = 0;
    expect((await chooseUpstream([up('a', { priority: 1, concurrency: { video: 5 } }), up('b', { concurrency: { video: 3 } })], task, loadOf))?.name).toBe('a');
    expect(asked).toEqual([]);
  });

  it('passes over an upstream whose breaker is open, and uses it when every upstream that carries the task is open', async () => {
    const open = { failures: 3, openUntil: 60_000, cooldownMs: 30_000, reason: 'connection failed' };
    const ups = [up('a', { priority: 9, health: open }), up('b', { priority: 1 })];
    expect((await chooseUpstream(ups, task, async () => 0, 1_000))?.name).toBe('b');
    // Once the cooldown has passed, the higher priority gets its probe.
    expect((await chooseUpstream(ups, task, async () => 0, 60_000))?.name).toBe('a');
    expect((await chooseUpstream([up('a', { health: open })], task, async () => 0, 1_000))?.name).toBe('a');
  });
});
