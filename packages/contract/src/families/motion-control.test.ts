import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { parseJsonKeepingBigInts } from '../json.ts';
import { referencesOf } from '../action.ts';
import { motionControl as family } from './motion-control.ts';

const { accept, refused, planOf, unitsOf, slotsOf } = familyTester(family);

const IMG = 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-3.ng.png';
const VIDEO = 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/dance.mp4';
const base = { image_url: IMG, video_url: VIDEO, character_orientation: 'image', mode: 'std' };
const without = (key: keyof typeof base) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));

describe('motion-control: documented examples', () => {
  it('accepts the create example ([OFF], [004 «Motion Control»])', () => {
    const body = {
      model_name: 'kling-v2-6',
      image_url: IMG,
      prompt: 'The girl is wearing a loose gray T-shirt and denim shorts',
      video_url: VIDEO,
      keep_original_sound: 'yes',
      character_orientation: 'image',
      mode: 'pro',
      callback_url: '',
      external_task_id: 'xxx',
    };
    expect(planOf(body)).toMatchObject({
      kind: 'sourced-video', source: { videoUrl: VIDEO }, length: { from: 'source', maxSeconds: 10 },
      resolution: 'pro', firstFrame: IMG, keepSourceSound: true, audio: true,
    });
  });

  it('accepts the element_list example value, a 64-bit id, with kling-v3 ([OFF] field table)', () => {
    const raw = `{"model_name":"kling-v3","image_url":"${IMG}","video_url":"${VIDEO}","character_orientation":"video","mode":"pro",
      "element_list":[{ "element_id": 829836802793406551 }]}`;
    expect(accept(parseJsonKeepingBigInts(raw)).body.element_list[0].element_id).toBe('829836802793406551');
  });
});

describe('motion-control: rules and fields', () => {
  it('element_list: kling-v3 only, at most one', () => {
    refused({ ...base, element_list: [{ element_id: 1 }] }, /element_list is not supported by kling-v2-6 \(only kling-v3\)/);
    refused({ ...base, model_name: 'kling-v3', element_list: [{ element_id: 1 }, { element_id: 2 }] }, /^element_list must have at most 1 item/);
    accept({ ...base, model_name: 'kling-v3', element_list: [{ element_id: 1 }] });
  });

  it.each([
    [without('image_url'), /^image_url is required/],
    [without('video_url'), /^video_url is required/],
    [{ ...base, video_url: 'ftp://x/y.mp4' }, /^video_url: must be an http\(s\) URL/],
    [without('character_orientation'), /^character_orientation is required/],
    [{ ...base, character_orientation: 'left' }, /^character_orientation: must be one of 'image', 'video'/],
    [without('mode'), /^mode is required/],
    [{ ...base, mode: '4k' }, /^mode: must be one of 'std', 'pro'/],
    [{ ...base, keep_original_sound: 'maybe' }, /^keep_original_sound: must be one of 'yes', 'no'/],
    [{ ...base, prompt: 'x'.repeat(2501) }, /^prompt must be at most 2500 characters/],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('unknown model → 1203', () => {
    refused({ ...base, model_name: 'kling-v2-5-turbo' }, /model_name 'kling-v2-5-turbo' does not exist for motion-control/, 1203);
  });

  it('defaults: kling-v2-6, keep_original_sound yes', () => {
    const { body, model } = accept(base);
    expect(model).toBe('kling-v2-6');
    expect(body.keep_original_sound).toBe('yes');
  });
});

describe('motion-control: length, references, plan and units', () => {
  it('the reference video may last 3–10 s for orientation image, 3–30 s for video or with an element', () => {
    const refs = (body: object) => referencesOf(family.references, accept(body).body as any);
    expect(refs(base)).toEqual([
      expect.objectContaining({ field: 'video_url', kind: 'video-url', seconds: [3, 10] }),
      // kling-v3 takes both element kinds: no restriction declared.
      { field: 'element_list[].element_id', kind: 'element' },
    ]);
    expect(refs({ ...base, character_orientation: 'video' })[0].seconds).toEqual([3, 30]);
    expect(refs({ ...base, model_name: 'kling-v3', element_list: [{ element_id: 1 }] })[0].seconds).toEqual([3, 30]);
    expect(planOf({ ...base, character_orientation: 'video', keep_original_sound: 'no' })).toMatchObject({
      length: { maxSeconds: 30 }, keepSourceSound: false, audio: false,
    });
  });

  it('bills per rounded output second: 2.6 std 0.5 / pro 0.8, 3.0 std 0.9 / pro 1.2; 3 s before the output exists', () => {
    const body = accept(base).body as any;
    expect(family.units(body, { seconds: 10 })).toBe(5);
    expect(family.units({ ...body, mode: 'pro' }, { seconds: 7.4 })).toBe(5.6);
    expect(family.units({ ...body, model_name: 'kling-v3', mode: 'pro' }, { seconds: 30 })).toBe(36);
    expect(family.units({ ...body, model_name: 'kling-v3' }, { seconds: 5 })).toBe(4.5);
    expect(unitsOf(base)).toBe(1.5);
    expect(slotsOf(base)).toBe(1);
  });
});
