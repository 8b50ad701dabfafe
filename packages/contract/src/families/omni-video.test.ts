import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { DOCUMENTED_STORYBOARD } from '../testing/documented-storyboard.ts';
import { parseJsonKeepingBigInts } from '../json.ts';
import { referencesOf } from '../action.ts';
import { omniVideo as family } from './omni-video.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

const IMG = 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-1.png';
// The [OFF] scenario examples use placeholders that are not valid values: "video_url": "xxxxxxxx",
// "element_id": long, "callback_url": "xx". These tests put a real-looking value in their place.
const VIDEO = 'https://example.com/reference.mp4';
const ELEMENT = 829836802793406;
const o1 = { model_name: 'kling-video-o1', prompt: 'dance' };
const v3 = { model_name: 'kling-v3-omni', prompt: 'dance' };
const ref = (image_url = IMG) => ({ image_url });
const first = { image_url: IMG, type: 'first_frame' };
const end = { image_url: IMG, type: 'end_frame' };
const feature = { video_url: VIDEO, refer_type: 'feature', keep_original_sound: 'yes' };
const base = { video_url: VIDEO, refer_type: 'base', keep_original_sound: 'yes' };

describe('omni-video: documented examples', () => {
  it('accepts the create example ([OFF], [004 «Video Omni»])', () => {
    const body = {
      model_name: 'kling-video-o1',
      prompt: 'Make the person in <<<image_1>>> wave to the camera',
      image_list: [{ image_url: IMG }],
      duration: '5',
      mode: 'pro',
      aspect_ratio: '16:9',
      callback_url: '',
      external_task_id: '',
    };
    expect(planOf(body)).toMatchObject({ resolution: 'pro', aspectRatio: '16:9', seconds: 5, references: [IMG], firstFrame: undefined });
  });

  it.each([
    ['image/element reference', { ...o1, image_list: [ref('xxxxx'), ref('xxxxx')], element_list: [{ element_id: ELEMENT }, { element_id: ELEMENT }], mode: 'pro', aspect_ratio: '1:1', duration: '7' }],
    ['transformation', { ...o1, image_list: [ref('xxx')], video_list: [base], mode: 'pro' }],
    ['video reference', { ...o1, image_list: [ref('xxx')], element_list: [{ element_id: ELEMENT }, { element_id: ELEMENT }], video_list: [feature], mode: 'pro', aspect_ratio: '1:1', duration: '7' }],
    ['start & end frames', { ...o1, image_list: [{ image_url: 'xxx', type: 'first_frame' }, { image_url: 'xxx', type: 'end_frame' }], mode: 'pro' }],
    ['text to video', { ...o1, mode: 'pro', aspect_ratio: '1:1', duration: '7' }],
    ['v3-omni image to video with multiple shots', {
      model_name: 'kling-v3-omni', multi_shot: true, shot_type: 'customize', prompt: '',
      multi_prompt: [{ index: 1, prompt: 'In the early morning café <<<image_1>>>', duration: '2' }, { index: 2, prompt: 'The girl <<<image_2>>>', duration: '3' }],
      image_list: [ref('xx'), ref('xxx')], video_list: [], mode: 'pro', sound: 'on', aspect_ratio: '16:9', duration: '5', callback_url: '', external_task_id: '',
    }],
    ['v3-omni text to video with multiple shots', {
      model_name: 'kling-v3-omni', multi_shot: true, shot_type: 'customize', prompt: '', multi_prompt: DOCUMENTED_STORYBOARD,
      image_list: [], sound: 'on', element_list: [], video_list: [], mode: 'pro', aspect_ratio: '16:9', duration: '15', callback_url: '', external_task_id: '',
    }],
  ])('accepts the [OFF] scenario example: %s', (_name, body) => {
    accept(body);
  });

  it('the [OFF] "generate the next shot" example omits aspect_ratio, which §11 rule 3 requires without a first frame or base video', () => {
    const body = { ...o1, prompt: 'Based on <<<video_1>>>, generate the next shot.', video_list: [feature], mode: 'pro' };
    refused(body, /aspect_ratio is required/);
    accept({ ...body, aspect_ratio: '16:9' });
  });

  it('the reseller multi-shot example omits model_name and asks for sound, which kling-video-o1 lacks ([000])', () => {
    const body = {
      multi_shot: true,
      shot_type: 'customize',
      prompt: '',
      multi_prompt: [
        { index: 1, prompt: 'A person sitting on a park bench, sunlight filtering through trees. Simple composition, no dialogue.', duration: '2' },
        { index: 2, prompt: 'A car speeding down a rainy street, headlights glowing. Dynamic angle, focus on motion.', duration: '3' },
      ],
      image_list: [],
      video_list: [],
      mode: 'pro',
      sound: 'on',
      aspect_ratio: '16:9',
      duration: 5,
      external_task_id: 'kling-v3-omni-video-test001',
    };
    refused(body, /sound 'on' is not supported by kling-video-o1/);
    const plan = planOf({ ...body, model_name: 'kling-v3-omni' });
    expect(plan).toMatchObject({ seconds: 5, audio: true });
    expect(plan.kind === 'video' && plan.shots).toEqual([{ prompt: body.multi_prompt[0].prompt, seconds: 2 }, { prompt: body.multi_prompt[1].prompt, seconds: 3 }]);
  });

  it('accepts the kkiai example (comments removed) and keeps its element_id exactly ([002])', () => {
    const raw = `{
      "model_name": "kling-video-o1",
      "prompt": "Generate an image of dancing by the seaside.",
      "negative_prompt": "",
      "mode": "std",
      "element_list": [ { "element_id": 835266081714884677 } ],
      "aspect_ratio": "16:9",
      "duration": "5",
      "callback_url": "",
      "external_task_id": ""
    }`;
    const { body } = accept(parseJsonKeepingBigInts(raw));
    expect(body.element_list[0].element_id).toBe('835266081714884677');
  });
});

describe('omni-video: cross-field rules', () => {
  it('multi-shot: shot_type, prompt, multi_prompt, durations', () => {
    refused({ ...v3, multi_shot: true, aspect_ratio: '1:1' }, /shot_type is required/);
    refused({ model_name: 'kling-v3-omni', multi_shot: true, shot_type: 'intelligence', aspect_ratio: '1:1' }, /prompt is required when shot_type is 'intelligence'/);
    accept({ ...v3, multi_shot: true, shot_type: 'intelligence', aspect_ratio: '1:1' });
    refused({ aspect_ratio: '1:1' }, /prompt is required when multi_shot is false/);
    refused({ ...v3, multi_shot: true, shot_type: 'customize', aspect_ratio: '1:1', multi_prompt: [] }, /multi_prompt must hold 1 to 6 shots/);
    const shots = (...d: string[]) => d.map((duration, index) => ({ index, prompt: 'p', duration }));
    const custom = { ...v3, multi_shot: true, shot_type: 'customize', aspect_ratio: '1:1', duration: '5' };
    refused({ ...custom, multi_prompt: shots('0', '5') }, /multi_prompt\[0\]\.duration must be at least 1 second/);
    refused({ ...custom, multi_prompt: shots('6') }, /multi_prompt\[0\]\.duration must not exceed duration/);
    refused({ ...custom, multi_prompt: shots('2', '2') }, /multi_prompt durations add up to 4 seconds but duration is 5/);
    accept({ ...custom, multi_prompt: shots('2', '3') });
  });

  it("mode: '4k' only kling-v3-omni, not with a reference video", () => {
    refused({ ...o1, aspect_ratio: '1:1', mode: '4k' }, /mode '4k' is not supported by kling-video-o1/);
    refused({ ...v3, aspect_ratio: '1:1', mode: '4k', video_list: [feature] }, /mode '4k' cannot be used with a reference video/);
    expect(planOf({ ...v3, aspect_ratio: '1:1', mode: '4k' }).resolution).toBe('4k');
  });

  it('duration: kling-video-o1 up to 10 s, kling-v3-omni up to 15 s', () => {
    refused({ ...o1, aspect_ratio: '1:1', duration: '12' }, /duration must be at most 10 seconds for kling-video-o1/);
    accept({ ...v3, aspect_ratio: '1:1', duration: '12' });
  });

  it('frames: one of each, end needs first, not with a base video', () => {
    refused({ ...o1, image_list: [first, first] }, /image_list may contain only one image of type first_frame/);
    refused({ ...o1, image_list: [first, end, end] }, /only one image of type end_frame/);
    refused({ ...o1, image_list: [end] }, /image_list: an end_frame image requires a first_frame image/);
    refused({ ...o1, image_list: [first], video_list: [base] }, /first_frame\/end_frame cannot be combined with a video_list item of refer_type base/);
    refused({ ...o1, image_list: [first], video_list: [{ video_url: VIDEO }] }, /refer_type base/);
    accept({ ...o1, image_list: [first], video_list: [feature] });
  });

  it('aspect_ratio is required without a first frame or base video', () => {
    refused(o1, /aspect_ratio is required/);
    accept({ ...o1, image_list: [first] });
    accept({ ...o1, video_list: [base] });
  });

  it("sound: 'off' with a reference video, 'on' only kling-v3-omni", () => {
    refused({ ...v3, aspect_ratio: '1:1', sound: 'on', video_list: [feature] }, /sound must be 'off' when video_list is given/);
    refused({ ...o1, aspect_ratio: '1:1', sound: 'on' }, /sound 'on' is not supported by kling-video-o1/);
    accept({ ...v3, aspect_ratio: '1:1', sound: 'on' });
  });

  it('image_list + element_list ≤ 7, ≤ 4 with a reference video', () => {
    const images = (k: number) => Array.from({ length: k }, () => ref());
    refused({ ...o1, aspect_ratio: '1:1', image_list: images(5), element_list: [{ element_id: 1 }, { element_id: 2 }, { element_id: 3 }] }, /at most 7 items without a reference video/);
    accept({ ...o1, aspect_ratio: '1:1', image_list: images(5), element_list: [{ element_id: 1 }, { element_id: 2 }] });
    refused({ ...o1, aspect_ratio: '1:1', image_list: images(5), video_list: [feature] }, /at most 4 items with a reference video/);
    accept({ ...o1, aspect_ratio: '1:1', image_list: images(4), video_list: [feature] });
  });

  it('kling-video-o1: no end frame with more than 2 images', () => {
    refused({ ...o1, image_list: [first, end, ref()] }, /kling-video-o1 does not support an end_frame with more than 2 images/);
    accept({ ...v3, image_list: [first, end, ref()] });
  });

  it('elements with frames: first frame ≤ 3; first+last: v3-omni ≤ 3, O1 none', () => {
    const el = (k: number) => Array.from({ length: k }, (_, i) => ({ element_id: i + 1 }));
    refused({ ...v3, image_list: [first], element_list: el(4) }, /element_list may hold at most 3 elements with a first frame/);
    accept({ ...v3, image_list: [first], element_list: el(3) });
    refused({ ...o1, image_list: [first, end], element_list: el(1) }, /element_list is not supported with first and end frames on kling-video-o1/);
    accept({ ...v3, image_list: [first, end], element_list: el(3) });
  });

  it('multi_shot with frames: not on kling-video-o1', () => {
    const multi = { multi_shot: true, shot_type: 'intelligence', image_list: [first] };
    refused({ ...o1, ...multi }, /multi_shot cannot be combined with first_frame\/end_frame images on kling-video-o1/);
    accept({ ...v3, ...multi });
  });
});

describe('omni-video: field errors name the field', () => {
  const ok = { ...o1, aspect_ratio: '1:1' };
  it.each([
    [{ ...ok, aspect_ratio: '4:3' }, /^aspect_ratio: must be one of/],
    [{ ...ok, mode: 'hd' }, /^mode: must be one of/],
    [{ ...ok, duration: '2' }, /^duration: must be one of/],
    [{ ...ok, sound: true }, /^sound: must be one of/],
    [{ ...ok, multi_shot: 'true' }, /^multi_shot must be a boolean/],
    [{ ...ok, prompt: 'x'.repeat(2501) }, /^prompt must be at most 2500/],
    [{ ...ok, image_list: [{ image_url: IMG, type: 'middle_frame' }] }, /^image_list\[0\]\.type: must be one of/],
    [{ ...ok, image_list: [{ type: 'first_frame' }] }, /^image_list\[0\]\.image_url is required/],
    [{ ...ok, video_list: [feature, feature] }, /^video_list must have at most 1 items?/],
    [{ ...ok, video_list: [{ video_url: 'xxxxxxxx' }] }, /^video_list\[0\]\.video_url: must be an http\(s\) URL/],
    [{ ...ok, video_list: [{ video_url: VIDEO, refer_type: 'style' }] }, /^video_list\[0\]\.refer_type: must be one of/],
    [{ ...ok, video_list: [{ video_url: VIDEO, keep_original_sound: true }] }, /^video_list\[0\]\.keep_original_sound: /],
    [{ ...ok, element_list: [{ element_id: 1.5 }] }, /^element_list\[0\]\.element_id: /],
    [{ ...ok, callback_url: 'xx' }, /^callback_url: /],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('unknown model → 1203', () => {
    refused({ ...ok, model_name: 'kling-v3' }, /model_name 'kling-v3' does not exist for omni-video/, 1203);
  });
});

describe('omni-video: defaults, plan and units', () => {
  it('applies the documented defaults', () => {
    const { body, model } = accept({ prompt: 'a', aspect_ratio: '1:1', video_list: [{ video_url: VIDEO }] });
    expect(model).toBe('kling-video-o1');
    expect(body).toMatchObject({ mode: 'pro', duration: '5', sound: 'off', multi_shot: false });
    expect(body.video_list[0].refer_type).toBe('base');
  });

  it('plans frames, references and storyboard', () => {
    expect(planOf({ ...v3, image_list: [first, end, ref('abc')], mode: 'std', duration: 8, sound: 'on', watermark_info: { enabled: true } })).toEqual({
      kind: 'video', resolution: 'std', aspectRatio: null, seconds: 8, fps: 24, audio: true, prompt: 'dance', shots: [],
      firstFrame: IMG, lastFrame: IMG, references: ['abc'], watermark: true,
    });
  });

  it('bills per second (spec §1.10)', () => {
    expect(unitsOf({ ...o1, aspect_ratio: '1:1' })).toBe(4);
    expect(unitsOf({ ...o1, aspect_ratio: '1:1', video_list: [feature] })).toBe(6);
    expect(unitsOf({ ...v3, aspect_ratio: '1:1', sound: 'on', mode: 'std', duration: '10' })).toBe(8);
    expect(unitsOf({ ...v3, aspect_ratio: '1:1', mode: '4k' })).toBe(15);
    expect(family.slots(accept({ ...o1, aspect_ratio: '1:1' }).body as any)).toBe(1);
  });
});

describe('omni-video: element kinds (§2.1 rules 3, 9; §11 rule 4)', () => {
  const refs = (body: object) => referencesOf(family.references, accept(body).body as any);
  const elements = [{ element_id: ELEMENT }];
  it('kling-video-o1 takes multi-image elements only, with or without a video', () => {
    expect(refs({ ...o1, aspect_ratio: '16:9', element_list: elements })).toEqual([{
      field: 'element_list[].element_id', kind: 'element',
      elementKinds: { only: ['image_refer'], rule: 'kling-video-o1 takes multi-image elements (image_refer) only' },
    }]);
    expect(refs({ ...o1, element_list: elements, video_list: [base] })[0].elementKinds?.only).toEqual(['image_refer']);
  });

  it('kling-v3-omni takes both kinds without a reference video, multi-image only with one', () => {
    expect(refs({ ...v3, aspect_ratio: '16:9', element_list: elements })).toEqual([{ field: 'element_list[].element_id', kind: 'element' }]);
    expect(refs({ ...v3, element_list: elements, video_list: [base] })[0].elementKinds).toEqual({
      only: ['image_refer'], rule: 'with a reference video (video_list) only multi-image elements (image_refer) are accepted',
    });
  });
});
