import { describe, expect, it } from 'vitest';
import { familyGroups } from '../families/index.ts';
import { actionGroups, actions } from './index.ts';

describe('actionGroups', () => {
  it('lists each action under its own group, once, with a key no family of that group uses', () => {
    for (const [group, members] of Object.entries(actionGroups)) {
      const familyKeys = Object.keys((familyGroups as Record<string, object>)[group] ?? {});
      for (const [key, action] of Object.entries(members)) {
        expect(action.group, action.name).toBe(group);
        expect(familyKeys, `${group}.${key}`).not.toContain(key);
      }
    }
    expect(new Set(actions).size).toBe(actions.length);
    expect(new Set(actions.map((a) => a.name)).size).toBe(actions.length);
  });
});
