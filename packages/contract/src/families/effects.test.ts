import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import {
  DUAL_IMAGE_SCENES, EFFECT_SCENES, LEGACY_DUAL_IMAGE_SCENES, LEGACY_SINGLE_IMAGE_SCENES, SINGLE_IMAGE_SCENES,
} from '../rules/effect-scenes.ts';
import { effects as family } from './effects.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

const A = 'https://p2-kling.klingai.com/bs2/upload-ylab-stunt/c54e463c95816d959602f1f2541c62b2.png?x-kcdn-pid=112452';
const B = 'https://p2-kling.klingai.com/bs2/upload-ylab-stunt/5eef15e03a70e1fa80732808a2f50f3f.png?x-kcdn-pid=112452';

describe('effects: documented examples', () => {
  it('accepts the current single-image example ([VD], [004 «Video Effects»])', () => {
    const image = 'https://p4-kling.klingai.com/kcdn/cdn-kcdn112452/kling-op/effects_raw_pic/color_mixing.jpeg';
    expect(planOf({ effect_scene: 'color_mixing', input: { image } })).toEqual({
      kind: 'effect-video', scene: 'color_mixing', images: [image], resolution: 'std', seconds: 5, fps: 24, watermark: false,
    });
  });

  it('accepts the older single-image example with input.duration ([OFF-old])', () => {
    expect(planOf({ effect_scene: 'pet_lion', input: { image: A, duration: '5' } })).toMatchObject({ images: [A], seconds: 5 });
  });

  it('accepts the older dual-character example with model_name/mode/duration in input ([OFF-old])', () => {
    const body = { effect_scene: 'hug', input: { model_name: 'kling-v1-6', mode: 'std', images: [A, B], duration: '5' } };
    expect(planOf(body)).toMatchObject({ images: [A, B], seconds: 5, resolution: 'std' });
  });
});

describe('effects: scenes', () => {
  it('knows the [VD] lists (15 dual, 204 single) plus the [OFF-old] scenes, without duplicates', () => {
    expect(DUAL_IMAGE_SCENES).toHaveLength(15);
    expect(SINGLE_IMAGE_SCENES).toHaveLength(204);
    expect(new Set(EFFECT_SCENES).size).toBe(EFFECT_SCENES.length);
    expect(EFFECT_SCENES.length).toBe(15 + 4 + 204 + LEGACY_SINGLE_IMAGE_SCENES.length);
  });

  it('every dual-image scene takes exactly two input.images, every single-image scene input.image', () => {
    for (const scene of [...DUAL_IMAGE_SCENES, ...LEGACY_DUAL_IMAGE_SCENES]) {
      accept({ effect_scene: scene, input: { images: [A, B] } });
      refused({ effect_scene: scene, input: { images: [A] } }, new RegExp(`^input.images must hold exactly 2 images for the dual-image scene '${scene}' \\(got 1\\)`));
      refused({ effect_scene: scene, input: { image: A } }, /input.images must hold exactly 2 images/);
    }
    for (const scene of [...SINGLE_IMAGE_SCENES, ...LEGACY_SINGLE_IMAGE_SCENES]) {
      accept({ effect_scene: scene, input: { image: A } });
      refused({ effect_scene: scene, input: { images: [A, B] } }, new RegExp(`^input.image is required for the single-image scene`));
    }
  });

  it('unknown scene → 1201 naming effect_scene', () => {
    refused({ effect_scene: 'moonwalk', input: { image: A } }, /^effect_scene: must be one of Kling's effect scenes/);
    refused({ input: { image: A } }, /^effect_scene is required/);
  });

  it('more than two images, or an empty single image, name the field', () => {
    refused({ effect_scene: 'hug_pro', input: { images: [A, B, A] } }, /^input.images must have at most 2 items/);
    refused({ effect_scene: 'color_mixing', input: { image: '' } }, /^input.image is required for the single-image scene 'color_mixing'/);
    refused({ effect_scene: 'color_mixing' }, /^input is required/);
  });
});

describe('effects: legacy input fields', () => {
  it('input.duration 10 only for dual-image scenes', () => {
    refused({ effect_scene: 'pet_lion', input: { image: A, duration: '10' } }, /^input.duration must be 5 for the single-image scene 'pet_lion'/);
    expect(planOf({ effect_scene: 'kiss', input: { images: [A, B], duration: 10 } }).seconds).toBe(10);
    refused({ effect_scene: 'kiss', input: { images: [A, B], duration: '7' } }, /^input.duration: /);
  });

  it("'fight' only with kling-v1-6 when a model is named; model and mode are checked", () => {
    refused({ effect_scene: 'fight', input: { model_name: 'kling-v1-5', images: [A, B] } }, /input.model_name 'kling-v1-5' does not support effect_scene 'fight'/);
    accept({ effect_scene: 'fight', input: { images: [A, B] } });
    accept({ effect_scene: 'fight', input: { model_name: 'kling-v1-6', images: [A, B] } });
    refused({ effect_scene: 'hug', input: { model_name: 'kling-v3', images: [A, B] } }, /^input.model_name: must be one of 'kling-v1', 'kling-v1-5', 'kling-v1-6'/);
    refused({ effect_scene: 'hug', input: { mode: 'prox', images: [A, B] } }, /^input.mode: must be one of 'std', 'pro'/);
  });

  it('a top-level model_name is ignored (effects have no model now)', () => {
    expect(accept({ effect_scene: 'color_mixing', model_name: 'kling-v1', input: { image: A } }).body.model_name).toBeUndefined();
  });

  it('bills 0.3 (std) or 0.5 (pro) per second', () => {
    expect(unitsOf({ effect_scene: 'color_mixing', input: { image: A } })).toBe(1.5);
    expect(unitsOf({ effect_scene: 'hug', input: { images: [A, B], mode: 'pro', duration: '10' } })).toBe(5);
  });
});
