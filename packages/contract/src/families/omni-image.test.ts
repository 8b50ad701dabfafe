import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { parseJsonKeepingBigInts } from '../json.ts';
import { referencesOf } from '../action.ts';
import { AUTO_SERIES_COUNT, omniImage as family } from './omni-image.ts';

const { accept, refused, planOf, unitsOf, slotsOf } = familyTester(family);

const IMG = 'https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-4.png';
const v3 = { model_name: 'kling-v3-omni', prompt: 'a poster' };

describe('omni-image: documented examples', () => {
  it('accepts the create example and keeps its element_id exactly ([VD], [003], [004 «Image Omni»])', () => {
    const raw = `{
      "model_name": "kling-image-o1",
      "prompt": "Merge all the people in the images into the <<<object_1>>> image",
      "element_list": [ { "element_id": 829836802793406551 } ],
      "image_list": [
        { "image": "https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-4.png" },
        { "image": "https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/video_effects/1.png" },
        { "image": "https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/video_effects/4.png" }
      ],
      "resolution": "2k",
      "n": 1,
      "aspect_ratio": "3:2"
    }`;
    const { body } = accept(parseJsonKeepingBigInts(raw));
    expect(body.element_list[0].element_id).toBe('829836802793406551');
    expect(family.plan(body as any)).toMatchObject({ resolution: '2k', aspectRatio: '3:2', count: 1, series: false });
  });

  // The page's "Image generation with element" example posts to /v1/images/generations, but its body (kling-v3-omni,
  // result_type, series_amount) is an omni-image body; [VD] sends the ids as numbers, [003] as strings.
  it.each([[160, 161], ['160', '161']])('accepts the series example with element ids %j, %j ([VD], [003])', (a, b) => {
    const body = {
      model_name: 'kling-v3-omni',
      prompt: 'Generate a recommended cover for each subject <<element_1>> based on the style of the reference image <<image_1>>',
      element_list: [{ element_id: a }, { element_id: b }],
      image_list: [{ image: 'xxx' }, { image: 'xxx' }],
      resolution: '2k',
      result_type: 'series',
      series_amount: 2,
      aspect_ratio: 'auto',
      external_task_id: '',
      callback_url: '',
    };
    expect(planOf(body)).toMatchObject({ count: 2, series: true, aspectRatio: null });
    expect(slotsOf(body)).toBe(2);
  });

  it('the reseller series example omits model_name, so it reaches kling-image-o1, which makes no series ([000])', () => {
    const body = {
      prompt: 'Generate a recommended cover for each subject <<object_1>>',
      element_list: [{ element_id: '171' }, { element_id: '168' }],
      image_list: [],
      resolution: '2k',
      result_type: 'series',
      series_amount: 2,
      aspect_ratio: 'auto',
      external_task_id: '',
    };
    refused(body, /result_type 'series' is not supported by kling-image-o1/);
    expect(planOf({ ...body, model_name: 'kling-v3-omni' })).toMatchObject({ count: 2, series: true, references: [] });
  });
});

describe('omni-image: cross-field rules', () => {
  it('image_list + element_list ≤ 10', () => {
    const images = (k: number) => Array.from({ length: k }, () => ({ image: IMG }));
    const elements = (k: number) => Array.from({ length: k }, (_, i) => ({ element_id: i + 1 }));
    refused({ ...v3, image_list: images(6), element_list: elements(5) }, /image_list and element_list together may hold at most 10 references, got 11/);
    accept({ ...v3, image_list: images(6), element_list: elements(4) });
  });

  it("result_type 'series' needs kling-v3-omni", () => {
    refused({ prompt: 'a', result_type: 'series' }, /result_type 'series' is not supported by kling-image-o1/);
    accept({ ...v3, result_type: 'series' });
  });

  it("counts: n for single (series_amount ignored), series_amount for series (n ignored), 'auto' = 4", () => {
    expect(planOf({ ...v3, n: 3, series_amount: 9 }).count).toBe(3);
    expect(planOf({ ...v3, result_type: 'series', n: 9, series_amount: 5 }).count).toBe(5);
    expect(planOf({ ...v3, result_type: 'series', series_amount: 'auto' }).count).toBe(AUTO_SERIES_COUNT);
    expect(planOf({ ...v3, result_type: 'series', series_amount: '7' }).count).toBe(7);
    expect(planOf({ ...v3, n: '9' }).count).toBe(9);
  });

  it("accepts 'auto' for kling-v3-omni text-to-image (the default), rendering 1:1 from a null ratio", () => {
    expect(planOf(v3)).toMatchObject({ aspectRatio: null, references: [] });
  });

  it('accepts 4k for kling-image-o1 (§9: the enum lists it, the map does not)', () => {
    expect(planOf({ prompt: 'a', resolution: '4k' }).resolution).toBe('4k');
  });
});

describe('omni-image: field errors name the field', () => {
  const base = { prompt: 'a' };
  it.each([
    [{}, /^prompt is required/],
    [{ prompt: '' }, /^prompt must not be empty/],
    [{ prompt: 'x'.repeat(2501) }, /^prompt must be at most 2500 characters/],
    [{ ...base, n: 0 }, /^n: must be an integer from 1 to 9/],
    [{ ...base, n: 10 }, /^n: must be an integer from 1 to 9/],
    [{ ...base, n: '10' }, /^n: must be an integer from 1 to 9/],
    [{ ...base, n: 1.5 }, /^n: /],
    [{ ...base, series_amount: 1 }, /^series_amount: must be an integer from 2 to 9 or 'auto'/],
    [{ ...base, series_amount: 10 }, /^series_amount: /],
    [{ ...base, series_amount: 'many' }, /^series_amount: /],
    [{ ...base, resolution: '8k' }, /^resolution: must be one of '1k', '2k', '4k'/],
    [{ ...base, result_type: 'batch' }, /^result_type: must be one of 'single', 'series'/],
    [{ ...base, aspect_ratio: '5:4' }, /^aspect_ratio: must be one of/],
    [{ ...base, image_list: [{ image: '' }] }, /^image_list\[0\]\.image: must be an http\(s\) URL/],
    [{ ...base, image_list: [{ url: IMG }] }, /^image_list\[0\]\.image is required/],
    [{ ...base, image_list: Array.from({ length: 11 }, () => ({ image: IMG })) }, /^image_list must have at most 10 items/],
    [{ ...base, element_list: [{ element_id: -1 }] }, /^element_list\[0\]\.element_id: /],
    [{ ...base, watermark_info: true }, /^watermark_info/],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('unknown model → 1203', () => {
    refused({ ...base, model_name: 'kling-v3' }, /model_name 'kling-v3' does not exist for omni-image/, 1203);
  });
});

describe('omni-image: defaults, plan, units and slots', () => {
  it('applies the documented defaults', () => {
    const { body, model } = accept({ prompt: 'a' });
    expect(model).toBe('kling-image-o1');
    expect(body).toMatchObject({ resolution: '1k', result_type: 'single', n: 1, series_amount: 4, aspect_ratio: 'auto' });
  });

  it('plans the images', () => {
    expect(planOf({ ...v3, image_list: [{ image: IMG }], aspect_ratio: '21:9', n: 2, watermark_info: { enabled: true } })).toEqual({
      kind: 'image', resolution: '1k', aspectRatio: '21:9', count: 2, series: false, prompt: 'a poster', references: [IMG], watermark: true,
    });
  });

  it('bills per image (8; 16 at 4K) and holds one slot per image', () => {
    expect(unitsOf({ prompt: 'a', n: 3, resolution: '2k' })).toBe(24);
    expect(unitsOf({ ...v3, result_type: 'series', series_amount: 5, resolution: '4k' })).toBe(80);
    expect(slotsOf({ ...v3, result_type: 'series', series_amount: 5 })).toBe(5);
    expect(slotsOf({ ...v3, result_type: 'series', series_amount: 'auto' })).toBe(4);
    expect(slotsOf({ ...v3, n: 9 })).toBe(9);
  });
});

describe('omni-image: element kinds', () => {
  it('takes multi-image elements only: an image cannot use a video character', () => {
    expect(referencesOf(family.references, accept({ ...v3, element_list: [{ element_id: 1 }] }).body as any)).toEqual([{
      field: 'element_list[].element_id', kind: 'element',
      elementKinds: { only: ['image_refer'], rule: 'omni-image takes multi-image elements (image_refer) only' },
    }]);
  });
});
