// Reads arriving together share one load; a read arriving while a load is in flight gets a load of its own, issued
// after it arrived (so it sees what was committed before it).

import { describe, expect, it } from 'vitest';
import { ReadBatch } from './read-batch.ts';

describe('read batch', () => {
  it('loads the keys asked together in one call, each once, and answers every asker', async () => {
    const loads: string[][] = [];
    const batch = new ReadBatch<string, string>(async (keys) => {
      loads.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
    });
    const answers = await Promise.all(['a', 'b', 'a', 'missing'].map((k) => batch.get(k)));
    expect(answers).toEqual(['A', 'B', 'A', undefined]);
    expect(loads).toEqual([['a', 'b', 'missing']]);
  });

  it('gives a read that arrives during a load a later load, and reports a failed load to its readers only', async () => {
    const loads: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let calls = 0;
    const batch = new ReadBatch<string, number>(async (keys) => {
      loads.push(keys);
      if (++calls === 1) {
        await gate;
        throw new Error('connection lost');
      }
      return new Map(keys.map((k) => [k, calls]));
    });
    const first = batch.get('a');
    await new Promise((resolve) => setImmediate(resolve));
    const second = batch.get('a');
    release();
    await expect(first).rejects.toThrow('connection lost');
    expect(await second).toBe(2);
    expect(loads).toEqual([['a'], ['a']]);
  });
});
