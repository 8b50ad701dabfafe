import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { kolorsVirtualTryOn as family } from './kolors-virtual-try-on.ts';

const { accept, refused, planOf, unitsOf, slotsOf } = familyTester(family);

const HUMAN = 'https://p1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/tryon-human.webp';
const CLOTH = 'https://p1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/suite.webp';

describe('kolors-virtual-try-on', () => {
  // The example's images are .webp while the documented formats are jpg/jpeg/png: the body is valid; the format is
  // checked when the images are read (inputs.ts), not by the schema.
  it('accepts the create example ([004 «Virtual Try-On»])', () => {
    const body = { model_name: 'kolors-virtual-try-on-v1-5', human_image: HUMAN, cloth_image: CLOTH, callback_url: '', external_task_id: '' };
    expect(planOf(body)).toEqual({ kind: 'try-on', person: HUMAN, garment: CLOTH, count: 1, watermark: false });
  });

  it('cloth_image is optional ([OFF-old], §9 permissive); human_image is required', () => {
    expect(planOf({ human_image: HUMAN }).garment).toBeUndefined();
    expect(planOf({ human_image: HUMAN, cloth_image: '' }).garment).toBeUndefined();
    refused({ cloth_image: CLOTH }, /^human_image is required/);
    refused({ human_image: HUMAN, cloth_image: 'data:image/png;base64,AA' }, /^cloth_image: /);
  });

  it('models v1 (default) and v1-5; others → 1203', () => {
    expect(accept({ human_image: HUMAN }).model).toBe('kolors-virtual-try-on-v1');
    refused({ human_image: HUMAN, model_name: 'kolors-virtual-try-on-v2' }, /model_name 'kolors-virtual-try-on-v2' does not exist for kolors-virtual-try-on/, 1203);
  });

  it('try-on pack, one slot, 1 unit per task', () => {
    expect(family.pack).toBe('try-on');
    expect(slotsOf({ human_image: HUMAN })).toBe(1);
    expect(unitsOf({ human_image: HUMAN })).toBe(1);
  });
});
