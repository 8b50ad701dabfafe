import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { referencesOf } from '../action.ts';
import { multiElements as family } from './multi-elements.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

const IMG = 'https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-1.png';
const base = { session_id: '847570360458960960', prompt: 'Using the context of <<<video_1>>>, seamlessly add a hat from <<<image_1>>>' };

describe('multi-elements: create task', () => {
  it('accepts the create example, a removal with an empty image_list ([OFF], [004 «Multi-elements to video»])', () => {
    const body = {
      model_name: 'kling-v1-6',
      session_id: '847570360458960960',
      edit_mode: 'removal',
      image_list: [],
      prompt: 'Delete the chick from <<<video_1>>>',
      negative_prompt: '',
      mode: 'std',
      duration: '5',
      callback_url: '',
      external_task_id: '',
    };
    expect(planOf(body)).toMatchObject({
      kind: 'sourced-video', source: { sessionId: '847570360458960960' }, length: { from: 'fixed', seconds: 5 },
      inherit: 'frame', resolution: 'std', references: [],
    });
  });

  it('image_list: addition 1–2, swap exactly 1, removal ignores any', () => {
    refused({ ...base, edit_mode: 'addition' }, /^image_list must hold 1 to 2 images when edit_mode is 'addition' \(got 0\)/);
    accept({ ...base, edit_mode: 'addition', image_list: [{ image: IMG }] });
    accept({ ...base, edit_mode: 'addition', image_list: [{ image: IMG }, { image: IMG }] });
    refused({ ...base, edit_mode: 'addition', image_list: [{ image: IMG }, { image: IMG }, { image: IMG }] }, /^image_list must have at most 2 items/);
    refused({ ...base, edit_mode: 'swap', image_list: [] }, /^image_list must hold exactly 1 image when edit_mode is 'swap' \(got 0\)/);
    refused({ ...base, edit_mode: 'swap', image_list: [{ image: IMG }, { image: IMG }] }, /exactly 1 image when edit_mode is 'swap' \(got 2\)/);
    expect(planOf({ ...base, edit_mode: 'swap', image_list: [{ image: IMG }] }).references).toEqual([IMG]);
    expect(planOf({ ...base, edit_mode: 'removal', image_list: [{ image: IMG }] }).references).toEqual([]);
  });

  it.each([
    [{ prompt: 'a', edit_mode: 'removal' }, /^session_id is required/],
    [{ ...base }, /^edit_mode is required/],
    [{ ...base, edit_mode: 'replace' }, /^edit_mode: must be one of 'addition', 'swap', 'removal'/],
    [{ session_id: '1', edit_mode: 'removal' }, /^prompt is required/],
    [{ ...base, edit_mode: 'removal', prompt: '' }, /^prompt must not be empty/],
    [{ ...base, edit_mode: 'removal', duration: '7' }, /^duration: /],
    [{ ...base, edit_mode: 'removal', mode: '4k' }, /^mode: must be one of 'std', 'pro'/],
    [{ ...base, edit_mode: 'addition', image_list: [{ image: 'data:image/png;base64,AA' }] }, /^image_list\[0\]\.image: /],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('only kling-v1-6 (1203 otherwise); defaults std, 5 s', () => {
    refused({ ...base, edit_mode: 'removal', model_name: 'kling-v2-6' }, /model_name 'kling-v2-6' does not exist for multi-elements/, 1203);
    expect(accept({ ...base, edit_mode: 'removal' }).body).toMatchObject({ model_name: 'kling-v1-6', mode: 'std', duration: '5' });
  });

  it("the session's video must suit the duration: 2–5 s for 5, 7–10 s for 10", () => {
    const refs = (body: object) => referencesOf(family.references, accept(body).body as any);
    expect(refs({ ...base, edit_mode: 'removal' })).toEqual([expect.objectContaining({
      field: 'session_id', kind: 'session', sessionKind: 'multi-elements', maxAgeDays: 1, seconds: [2, 5], secondsRule: "for duration '5'",
    })]);
    expect(refs({ ...base, edit_mode: 'removal', duration: 10 })[0]).toMatchObject({ seconds: [7, 10], secondsRule: "for duration '10'" });
  });

  it('bills the kling-v1-6 legacy rate per second (std 0.3, pro 0.5)', () => {
    expect(unitsOf({ ...base, edit_mode: 'removal' })).toBe(1.5);
    expect(unitsOf({ ...base, edit_mode: 'removal', mode: 'pro', duration: '10' })).toBe(5);
    expect(planOf({ ...base, edit_mode: 'removal', mode: 'pro', duration: '10' })).toMatchObject({ resolution: 'pro', length: { seconds: 10 } });
  });
});
