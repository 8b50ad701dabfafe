import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { parseJsonKeepingBigInts } from '../json.ts';
import { referencesOf } from '../action.ts';
import { generations as family } from './generations.ts';

const { accept, refused, planOf, unitsOf, slotsOf } = familyTester(family);

const DOG = 'https://p1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/dog.png';
const elements = (k: number) => Array.from({ length: k }, (_, i) => ({ element_id: i + 1 }));

describe('generations: documented examples', () => {
  it('accepts the create example ([VD], [004 «Image Generation»]); its empty negative_prompt counts as absent', () => {
    const body = {
      model_name: 'kling-v2-1',
      prompt: 'Generate a Pixar-style puppy',
      negative_prompt: '',
      image: DOG,
      n: 2,
      external_task_id: '',
      callback_url: '',
    };
    expect(planOf(body)).toMatchObject({ count: 2, references: [DOG], resolution: '1k', aspectRatio: '16:9' });
    expect(slotsOf(body)).toBe(2);
    expect(unitsOf(body)).toBe(16);
  });

  it('accepts the element example with "n": "9" as a string ([OFF] "Image to video with element", posted to generations)', () => {
    const body = {
      model_name: 'kling-v3',
      prompt: 'Merge all the characters from the images into the <<<object_2>>> diagram',
      element_list: [{ element_id: '160' }, { element_id: '161' }, { element_id: '159' }],
      image: 'xxx',
      resolution: '2k',
      n: '9',
      aspect_ratio: '3:2',
      external_task_id: '',
      callback_url: '',
    };
    expect(planOf(body)).toMatchObject({ count: 9, resolution: '2k', aspectRatio: '3:2' });
    expect(slotsOf(body)).toBe(9);
    expect(unitsOf(body)).toBe(72);
  });
});

describe('generations: cross-field rules', () => {
  const v21 = { model_name: 'kling-v2-1', prompt: 'a puppy' };
  const v3 = { model_name: 'kling-v3', prompt: 'a puppy' };

  it('negative_prompt is not allowed with image', () => {
    refused({ ...v21, image: DOG, negative_prompt: 'blurry' }, /negative_prompt is not supported when image is given/);
    accept({ ...v21, negative_prompt: 'blurry' });
  });

  it('image_reference requires image', () => {
    refused({ ...v21, image_reference: 'subject' }, /image is required when image_reference is 'subject'/);
    refused({ ...v21, image: '', image_reference: 'face' }, /image is required when image_reference is 'face'/);
    accept({ ...v21, image: DOG, image_reference: 'face' });
  });

  it('image_reference: kling-v1-5 (required with an image) and kling-v2-1 only (§9: union of both readings)', () => {
    refused({ ...v3, image: DOG, image_reference: 'subject' }, /image_reference is not supported by kling-v3/);
    refused({ model_name: 'kling-v1-5', prompt: 'a', image: DOG }, /image_reference .* is required by kling-v1-5/);
    accept({ model_name: 'kling-v1-5', prompt: 'a', image: DOG, image_reference: 'subject', human_fidelity: 0.8 });
    accept({ model_name: 'kling-v1-5', prompt: 'a' });
    accept({ ...v21, image: DOG });
  });

  it('human_fidelity only takes effect with subject: accepted (and ignored) otherwise', () => {
    accept({ ...v21, image: DOG, image_reference: 'face', human_fidelity: 0.9 });
  });

  it('element_list: kling-v3 only; image + elements ≤ 10', () => {
    refused({ ...v21, element_list: elements(1) }, /element_list is not supported by kling-v2-1/);
    refused({ ...v3, image: DOG, element_list: elements(10) }, /image and element_list together may hold at most 10 references, got 11/);
    accept({ ...v3, image: DOG, element_list: elements(9) });
    accept({ ...v3, element_list: elements(10) });
  });

  it('resolution and aspect ratio per model', () => {
    refused({ model_name: 'kling-v1', prompt: 'a', resolution: '2k' }, /resolution '2k' is not supported by kling-v1; supported: 1k/);
    refused({ model_name: 'kling-v1', prompt: 'a', aspect_ratio: '21:9' }, /aspect_ratio '21:9' is not supported by kling-v1/);
    accept({ model_name: 'kling-v2', prompt: 'a', resolution: '2k', aspect_ratio: '21:9' });
    accept({ model_name: 'kling-v1-5', prompt: 'a', aspect_ratio: '21:9' });
  });

  it('kling-v2-new only restyles: image is required', () => {
    refused({ model_name: 'kling-v2-new', prompt: 'a' }, /image is required by kling-v2-new/);
    accept({ model_name: 'kling-v2-new', prompt: 'a', image: DOG });
  });
});

describe('generations: field errors name the field', () => {
  const base = { prompt: 'a' };
  it.each([
    [{}, /^prompt is required/],
    [{ prompt: '' }, /^prompt must not be empty/],
    [{ prompt: 'x'.repeat(2501) }, /^prompt must be at most 2500/],
    [{ ...base, negative_prompt: 'x'.repeat(2501) }, /^negative_prompt must be at most 2500/],
    [{ ...base, image: 'data:image/png;base64,iVBORw0KGgo=' }, /^image: must be an http\(s\) URL or raw Base64/],
    [{ ...base, image_reference: 'style' }, /^image_reference: must be one of 'subject', 'face'/],
    [{ ...base, image_fidelity: 1.2 }, /^image_fidelity must be at most 1/],
    [{ ...base, human_fidelity: -1 }, /^human_fidelity must be at least 0/],
    [{ ...base, human_fidelity: 'high' }, /^human_fidelity must be a number/],
    [{ ...base, resolution: '4k' }, /^resolution: must be one of '1k', '2k'/],
    [{ ...base, aspect_ratio: 'auto' }, /^aspect_ratio: must be one of/],
    [{ ...base, n: 0 }, /^n: must be an integer from 1 to 9/],
    [{ ...base, n: 'nine' }, /^n: must be an integer from 1 to 9/],
    [{ ...base, element_list: elements(11) }, /^element_list must have at most 10 items/],
    [{ ...base, element_list: [{ id: 1 }] }, /^element_list\[0\]\.element_id is required/],
    [{ ...base, external_task_id: 7 }, /^external_task_id must be a string/],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('unknown model → 1203', () => {
    refused({ ...base, model_name: 'kling-v3-omni' }, /model_name 'kling-v3-omni' does not exist for generations/, 1203);
  });
});

describe('generations: defaults, plan, units, element ids', () => {
  it('applies the documented defaults (2026-09: kling-v3)', () => {
    const { body, model } = accept({ prompt: 'a', model_name: null });
    expect(model).toBe('kling-v3');
    expect(body).toMatchObject({ resolution: '1k', n: 1, aspect_ratio: '16:9', image_fidelity: 0.5, human_fidelity: 0.45 });
  });

  it('plans n images at the requested ratio', () => {
    expect(planOf({ prompt: 'a', n: 4, aspect_ratio: '9:16', resolution: '2k' })).toEqual({
      kind: 'image', resolution: '2k', aspectRatio: '9:16', count: 4, series: false, prompt: 'a', references: [], watermark: false,
    });
  });

  it('bills per image (Image 3.0: 8; Image 2.1: 4 text-to-image, 8 image-to-image)', () => {
    expect(unitsOf({ prompt: 'a', n: 3 })).toBe(24);
    expect(unitsOf({ model_name: 'kling-v2-1', prompt: 'a', n: 3 })).toBe(12);
    expect(unitsOf({ model_name: 'kling-v1', prompt: 'a' })).toBe(4);
  });

  it('keeps an element_id above 2^53 exactly', () => {
    const raw = '{"prompt":"a","element_list":[{"element_id":829836802793406551},{"element_id":"9007199254740993"}]}';
    const { body } = accept(parseJsonKeepingBigInts(raw));
    expect(body.element_list.map((e: any) => e.element_id)).toEqual(['829836802793406551', '9007199254740993']);
  });
});

describe('generations: element kinds', () => {
  it('takes multi-image elements only: an image cannot use a video character', () => {
    expect(referencesOf(family.references, accept({ model_name: 'kling-v3', prompt: 'a', element_list: elements(1) }).body as any)).toEqual([{
      field: 'element_list[].element_id', kind: 'element',
      elementKinds: { only: ['image_refer'], rule: 'generations takes multi-image elements (image_refer) only' },
    }]);
  });
});
