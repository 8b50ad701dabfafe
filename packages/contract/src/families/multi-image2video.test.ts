import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { multiImage2video as family } from './multi-image2video.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

const DOG = 'https://p1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/dog.png';
const CLOTH = 'https://p1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/dog_cloth.png';
const minimal = { image_list: [{ image: DOG }], prompt: 'a dog' };

describe('multi-image2video: documented examples', () => {
  it('accepts the create example ([OFF], [004 «Reference to Video»])', () => {
    const body = {
      model_name: 'kling-v1-6',
      image_list: [{ image: DOG }, { image: CLOTH }],
      prompt: 'A white Bichon Frise wearing a red Northeast-style floral cotton jacket, licking its paw',
      negative_prompt: '',
      mode: 'pro',
      duration: '5',
      aspect_ratio: '16:9',
      callback_url: '',
      external_task_id: '',
    };
    expect(planOf(body)).toMatchObject({ resolution: 'pro', aspectRatio: '16:9', seconds: 5, references: [DOG, CLOTH] });
  });
});

describe('multi-image2video: rules and field errors', () => {
  // The family has no cross-field rules beyond the model's modes and durations, which the schema already bounds
  // for its single model; these cases pin the field-level rules instead.
  it.each([
    [{ prompt: 'a' }, /^image_list is required/],
    [{ ...minimal, image_list: [] }, /^image_list must have at least 1 item/],
    [{ ...minimal, image_list: [1, 2, 3, 4, 5].map(() => ({ image: DOG })) }, /^image_list must have at most 4 items/],
    [{ ...minimal, image_list: [{}] }, /^image_list\[0\]\.image is required/],
    [{ ...minimal, image_list: [{ image: 'data:image/png;base64,AAAA' }] }, /^image_list\[0\]\.image: must be an http\(s\) URL or raw Base64/],
    [{ image_list: [{ image: DOG }] }, /^prompt is required/],
    [{ ...minimal, prompt: '' }, /^prompt must not be empty/],
    [{ ...minimal, prompt: 'x'.repeat(2501) }, /^prompt must be at most 2500 characters/],
    [{ ...minimal, negative_prompt: 'x'.repeat(2501) }, /^negative_prompt must be at most 2500 characters/],
    [{ ...minimal, mode: '4k' }, /^mode: must be one of 'std', 'pro'/],
    [{ ...minimal, duration: '7' }, /^duration: must be one of "5", "10"/],
    [{ ...minimal, aspect_ratio: '4:3' }, /^aspect_ratio: must be one of/],
    [{ ...minimal, callback_url: 'not a url' }, /^callback_url: /],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('accepts numeric durations and Base64 images', () => {
    accept({ ...minimal, duration: 10, image_list: [{ image: 'iVBORw0KGgoAAAANSUhEUgAAAAUA' }] });
  });

  it('unknown model → 1203', () => {
    refused({ ...minimal, model_name: 'kling-v1' }, /model_name 'kling-v1' does not exist for multi-image2video; supported: kling-v1-6/, 1203);
  });
});

describe('multi-image2video: defaults, plan and units', () => {
  it('applies the documented defaults (kling-v1-6, std, 5 s, 16:9)', () => {
    const { body, model } = accept(minimal);
    expect(model).toBe('kling-v1-6');
    expect(body).toMatchObject({ model_name: 'kling-v1-6', mode: 'std', duration: '5', aspect_ratio: '16:9' });
  });

  it('plans a silent reference video at the requested ratio', () => {
    expect(planOf({ ...minimal, aspect_ratio: '9:16', duration: '10', watermark_info: { enabled: true } })).toEqual({
      kind: 'video', resolution: 'std', aspectRatio: '9:16', seconds: 10, fps: 30, audio: false, prompt: 'a dog', shots: [],
      references: [DOG], watermark: true,
    });
  });

  it('bills per second and holds one slot', () => {
    expect(unitsOf(minimal)).toBe(1.5);
    expect(unitsOf({ ...minimal, mode: 'pro', duration: '10' })).toBe(5);
    expect(family.slots(accept(minimal).body as any)).toBe(1);
  });
});
