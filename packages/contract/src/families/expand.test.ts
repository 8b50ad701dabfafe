import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { expandedSize } from '../plan-more.ts';
import { areaFactor, expand as family } from './expand.ts';

const { accept, refused, planOf, unitsOf, slotsOf } = familyTester(family);

const IMG = 'https://p1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/dog.png';

describe('editing/expand', () => {
  it('accepts the create example, the docs\' 3× 16:9 helper output ([OFF-old], [004 «Extend Image»])', () => {
    const body = {
      up_expansion_ratio: 0.1495,
      down_expansion_ratio: 0.1495,
      left_expansion_ratio: 0.6547,
      right_expansion_ratio: 0.6547,
      prompt: '',
      image: IMG,
      n: 2,
      external_task_id: '',
    };
    const plan = planOf(body);
    expect(plan).toEqual({
      kind: 'expand', image: IMG, ratios: { up: 0.1495, down: 0.1495, left: 0.6547, right: 0.6547 }, count: 2, prompt: '', watermark: false,
    });
    // The helper's own example: a 100×100 image grows to about 231×130 (16:9, 3× the area).
    expect(expandedSize(100, 100, plan.ratios)).toEqual({ width: 231, height: 130 });
    expect(unitsOf(body)).toBe(16);
    expect(slotsOf(body)).toBe(2);
  });

  it('(1 + up + down) × (1 + left + right) ≤ 3', () => {
    accept({ image: IMG, up_expansion_ratio: 1, down_expansion_ratio: 1 });
    accept({ image: IMG, left_expansion_ratio: 0.5, right_expansion_ratio: 0.5, up_expansion_ratio: 0.5 });
    refused({ image: IMG, up_expansion_ratio: 1, down_expansion_ratio: 1, left_expansion_ratio: 0.1 }, /^up\/down\/left\/right_expansion_ratio: the expanded image would be 3\.30 times the original area/);
    refused({ image: IMG, up_expansion_ratio: 2, right_expansion_ratio: 2 }, /9\.00 times the original area \(at most 3 allowed/);
    expect(areaFactor({ up: 0.5, down: 0.5, left: 0.25, right: 0.25 })).toBe(3);
  });

  it('each ratio in [0, 2], default 0', () => {
    for (const side of ['up', 'down', 'left', 'right']) {
      refused({ image: IMG, [`${side}_expansion_ratio`]: 2.1 }, new RegExp(`^${side}_expansion_ratio must be at most 2`));
      refused({ image: IMG, [`${side}_expansion_ratio`]: -0.1 }, new RegExp(`^${side}_expansion_ratio must be at least 0`));
    }
    expect(accept({ image: IMG }).body).toMatchObject({ up_expansion_ratio: 0, down_expansion_ratio: 0, left_expansion_ratio: 0, right_expansion_ratio: 0, n: 1 });
  });

  it.each([
    [{}, /^image is required/],
    [{ image: IMG, n: 0 }, /^n: must be an integer from 1 to 9/],
    [{ image: IMG, prompt: 'x'.repeat(2501) }, /^prompt must be at most 2500/],
    [{ image: IMG, up_expansion_ratio: '0.5' }, /^up_expansion_ratio must be a number/],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('has no model: a stray model_name is ignored', () => {
    expect(accept({ image: IMG, model_name: 'kling-v2' }).body.model_name).toBeUndefined();
  });
});
