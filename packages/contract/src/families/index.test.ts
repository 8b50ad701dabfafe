import { describe, expect, it } from 'vitest';
import { NO_MODEL } from '../family.ts';
import { collectMediaInputs } from '../inputs.ts';
import { MOTION_IMAGE_LIMITS, MOTION_VIDEO_LIMITS } from './motion-control.ts';
import { validateCreate } from '../validate.ts';
import { families, familyGroups } from './index.ts';
import { actions } from '../actions/index.ts';

describe('familyGroups and actions', () => {
  it('lists each family under its own group, with unique names and paths', () => {
    for (const [group, members] of Object.entries(familyGroups)) {
      for (const family of Object.values(members)) expect(family.group).toBe(group);
    }
    const paths = families.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    const names = families.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(families).toHaveLength(21);
  });

  it('paths are the family name under its /v1 group folder', () => {
    for (const f of families) expect(f.path).toMatch(new RegExp(`^/v1/(videos|audio|general|images)/${f.name}$`));
  });

  it('families without model_name have exactly the one default model, and the others a default they list', () => {
    for (const f of families) {
      if ('model_name' in f.request.properties) expect(Object.keys(f.models)).toContain(f.defaultModel);
      else expect(f.models).toEqual({ [NO_MODEL]: {} });
    }
  });

  it('actions have unique method + path, none shared with a family create path', () => {
    const keys = actions.map((a) => `${a.method} ${a.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const taskPaths = new Set(families.map((f) => f.path));
    for (const a of actions) expect(taskPaths.has(a.path)).toBe(false);
  });

  it('the input marks let the server find every image and video of a request', () => {
    const { effects, motionControl } = familyGroups.videos;
    const dual = validateCreate(effects, { effect_scene: 'hug_pro', input: { images: ['https://a/1.png', 'https://a/2.png'] } }).body;
    expect(collectMediaInputs(effects.request, dual).map((i) => i.field)).toEqual(['input.images[0]', 'input.images[1]']);
    const motion = validateCreate(motionControl, {
      image_url: 'https://a/p.png', video_url: 'https://a/m.mp4', character_orientation: 'video', mode: 'std',
    }).body;
    expect(collectMediaInputs(motionControl.request, motion)).toEqual([
      { kind: 'image', field: 'image_url', value: 'https://a/p.png', limits: MOTION_IMAGE_LIMITS },
      { kind: 'video', field: 'video_url', value: 'https://a/m.mp4', limits: MOTION_VIDEO_LIMITS },
    ]);
  });
});
