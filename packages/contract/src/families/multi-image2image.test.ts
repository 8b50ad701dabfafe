import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { multiImage2image as family } from './multi-image2image.ts';

const { accept, refused, planOf, unitsOf, slotsOf } = familyTester(family);

const S1 = 'https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-1.png';
const S2 = 'https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-2.png';
const SCENE = 'https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/background.jpeg';
const STYLE = 'https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/16x9_jipuli.png';

describe('multi-image2image', () => {
  it('accepts the create example, which sends negative_prompt though the table lists none ([VD], [004 «Reference to Image»])', () => {
    const body = {
      model_name: 'kling-v2-1',
      prompt: 'Wearing a flowing red dress on the grassland, in Ghibli style.',
      negative_prompt: '',
      subject_image_list: [{ subject_image: S1 }, { subject_image: S2 }],
      scene_image: SCENE,
      style_image: STYLE,
      n: 2,
      aspect_ratio: '9:16',
    };
    expect(planOf(body)).toEqual({
      kind: 'image', resolution: '1k', aspectRatio: '9:16', count: 2, series: false, prompt: body.prompt,
      references: [S1, S2, SCENE, STYLE], watermark: false,
    });
    expect(unitsOf(body)).toBe(32);
    expect(slotsOf(body)).toBe(2);
  });

  it('subject_image_list: 1–4; optional ([OFF-old]) when a scene or style image is given', () => {
    refused({ prompt: 'a' }, /^subject_image_list is required \(1 to 4 subject images\)/);
    refused({ subject_image_list: [] }, /^subject_image_list must have at least 1 item/);
    refused({ subject_image_list: [1, 2, 3, 4, 5].map(() => ({ subject_image: S1 })) }, /^subject_image_list must have at most 4 items/);
    accept({ scene_image: SCENE });
    accept({ subject_image_list: [{ subject_image: S1 }] });
    refused({ subject_image_list: [{ image: S1 }] }, /^subject_image_list\[0\]\.subject_image is required/);
  });

  it('models kling-v2-1 (default) and kling-v2 (§9); others → 1203', () => {
    expect(accept({ scene_image: SCENE }).model).toBe('kling-v2-1');
    accept({ scene_image: SCENE, model_name: 'kling-v2' });
    refused({ scene_image: SCENE, model_name: 'kling-v3' }, /model_name 'kling-v3' does not exist for multi-image2image/, 1203);
  });

  it.each([
    [{ scene_image: SCENE, n: 10 }, /^n: must be an integer from 1 to 9/],
    [{ scene_image: SCENE, aspect_ratio: 'auto' }, /^aspect_ratio: must be one of/],
    [{ scene_image: 'data:image/jpeg;base64,AA' }, /^scene_image: /],
    [{ scene_image: SCENE, prompt: 'x'.repeat(2501) }, /^prompt must be at most 2500/],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('defaults: n 1, 16:9; 16 units per image', () => {
    expect(accept({ scene_image: SCENE }).body).toMatchObject({ n: 1, aspect_ratio: '16:9' });
    expect(unitsOf({ scene_image: SCENE, n: '9' })).toBe(144);
  });
});
