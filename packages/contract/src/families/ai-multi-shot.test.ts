import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { aiMultiShot as family } from './ai-multi-shot.ts';

const { refused, planOf, unitsOf, slotsOf } = familyTester(family);

const IMG = 'https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-1.png';

describe('ai-multi-shot', () => {
  it('accepts the create example ([VD], [004 «AI Multi-Shot»]): three sets of three views', () => {
    const body = { element_frontal_image: IMG, external_task_id: '', callback_url: '' };
    expect(planOf(body)).toEqual({ kind: 'multi-view', frontal: IMG, sets: 3, views: 3 });
  });

  it('element_frontal_image is a required image', () => {
    refused({}, /^element_frontal_image is required/);
    refused({ element_frontal_image: 'data:image/png;base64,AAAA' }, /^element_frontal_image: must be an http\(s\) URL or raw Base64/);
  });

  it('image pack, one slot, 20 units per call (§9: the later price list)', () => {
    expect(family.pack).toBe('image');
    expect(slotsOf({ element_frontal_image: IMG })).toBe(1);
    expect(unitsOf({ element_frontal_image: IMG })).toBe(20);
  });
});
