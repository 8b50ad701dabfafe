// Command names follow one rule, are unique, and find their family by any of its names.

import { describe, expect, it } from 'vitest';
import { families } from '@kiln/sdk/contract';
import { familyCommands, findFamily } from './names.ts';

describe('family command names', () => {
  it('drops the group noun from the family name', () => {
    const names = Object.fromEntries(familyCommands().map((c) => [c.family.name, `${c.groupCommand} ${c.command}`]));
    expect(names).toMatchObject({
      'omni-video': 'video omni', text2video: 'video text', image2video: 'video image',
      'multi-image2video': 'video multi-image', 'omni-image': 'image omni', generations: 'image generations',
    });
  });

  it('gives every family one unique command in its group', () => {
    const all = familyCommands();
    expect(all.map((c) => c.family.name)).toEqual(families.map((f) => f.name));
    const keys = all.flatMap((c) => [c.command, ...c.aliases].map((n) => `${c.groupCommand} ${n}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('finds a family by name, SDK key or command', () => {
    for (const name of ['omni-video', 'omniVideo', 'video/omni', 'video omni', 'videos/omni', 'video/omni-video']) {
      expect(findFamily(name)?.family.name).toBe('omni-video');
    }
    expect(findFamily('nope')).toBeUndefined();
  });
});
