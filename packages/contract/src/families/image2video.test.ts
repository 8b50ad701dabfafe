import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { DOCUMENTED_STORYBOARD } from '../testing/documented-storyboard.ts';
import { parseJsonKeepingBigInts } from '../json.ts';
import { image2video as family } from './image2video.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

const IMG = 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-2.png';
const TAIL = 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-1.png';
const MASK = 'https://h2.inkwai.com/bs2/upload-ylab-stunt/ai_portal/1732888130/WU8spl23dA/dynamic_mask_1.png';
const dynamicMask = { mask: MASK, trajectories: [{ x: 279, y: 219 }, { x: 417, y: 65 }] };

describe('image2video: documented examples', () => {
  it('accepts the create example with start and end frames ([OFF], [004 «Image to Video»])', () => {
    const body = {
      model_name: 'kling-v2-6',
      image: IMG,
      image_tail: TAIL,
      prompt: 'Camera zooms out, the girl smiles',
      negative_prompt: '',
      duration: '5',
      mode: 'pro',
      sound: 'off',
      callback_url: '',
      external_task_id: '',
    };
    expect(planOf(body)).toMatchObject({ firstFrame: IMG, lastFrame: TAIL, aspectRatio: null, resolution: 'pro', seconds: 5 });
  });

  it('accepts the multi-shot example, which sends multi_shot as the string "true" ([OFF])', () => {
    const body = {
      model_name: 'kling-v3',
      image: 'xxx',
      prompt: '',
      multi_shot: 'true',
      shot_type: 'customize',
      multi_prompt: DOCUMENTED_STORYBOARD,
      negative_prompt: '',
      duration: '15',
      mode: 'pro',
      sound: 'on',
      callback_url: '',
      external_task_id: '',
    };
    const plan = planOf(body);
    expect(plan.kind === 'video' && plan.shots).toHaveLength(6);
    expect(plan).toMatchObject({ seconds: 15, audio: true, firstFrame: 'xxx' });
  });

  it('accepts the voice-control example ([OFF] "Generate video with voice control")', () => {
    const body = {
      model_name: 'kling-v2-6',
      image: 'Replace the URL of image',
      prompt: "<<<voice_1>>>Ask the people in the picture to say the following words, 'Welcome everyone'",
      voice_list: [{ voice_id: 'Replace the ID of voice' }],
      duration: '5',
      mode: 'pro',
      sound: 'on',
      callback_url: '',
      external_task_id: '',
    };
    // changelog: V2.6 with voice, 5 s = 6 units
    expect(unitsOf(body)).toBe(6);
  });

  it('accepts the motion-brush example ([OFF-old])', () => {
    accept({
      model_name: 'kling-v1',
      mode: 'pro',
      duration: '5',
      image: 'https://h2.inkwai.com/bs2/upload-ylab-stunt/se/ai_portal_queue_mmu_image_upscale_aiweb/3214b798-e1b4-4b00-b7af-72b5b0417420_raw_image_0.jpg',
      prompt: 'The astronaut stood up and walked away',
      cfg_scale: 0.5,
      static_mask: 'https://h2.inkwai.com/bs2/upload-ylab-stunt/ai_portal/1732888177/cOLNrShrSO/static_mask.png',
      dynamic_masks: [dynamicMask],
    });
  });
});

describe('image2video: cross-field rules', () => {
  const v3 = { model_name: 'kling-v3', image: IMG, prompt: 'a' };
  const v26pro = { model_name: 'kling-v2-6', image: IMG, prompt: 'a', mode: 'pro' };

  it('image or image_tail is required', () => {
    refused({ prompt: 'a' }, /image or image_tail is required/);
    refused({ prompt: 'a', image: '', image_tail: '' }, /image or image_tail is required/);
    const plan = planOf({ model_name: 'kling-v1-5', mode: 'pro', prompt: 'a', image_tail: TAIL });
    expect(plan).toMatchObject({ lastFrame: TAIL, aspectRatio: null });
    expect(plan.kind === 'video' && plan.firstFrame).toBeUndefined();
  });

  it('prompt: optional for a single shot ([OFF-old], permissive), required for an intelligence storyboard', () => {
    accept({ image: IMG });
    refused({ ...v3, prompt: '', multi_shot: true, shot_type: 'intelligence' }, /prompt is required when shot_type is 'intelligence'/);
    accept({ ...v3, multi_shot: true, shot_type: 'intelligence' });
  });

  it('image_tail, masks and camera_control exclude each other', () => {
    const v15 = { model_name: 'kling-v1-5', image: IMG, prompt: 'a', mode: 'pro' };
    refused({ ...v15, image_tail: TAIL, static_mask: MASK }, /image_tail and static_mask\/dynamic_masks cannot be used together/);
    refused({ ...v15, image_tail: TAIL, camera_control: { type: 'simple', config: { zoom: 5 } } }, /image_tail and camera_control/);
    refused({ ...v15, dynamic_masks: [dynamicMask], camera_control: { type: 'simple', config: { zoom: 5 } } }, /static_mask\/dynamic_masks and camera_control/);
    accept({ ...v15, image_tail: TAIL });
    accept({ ...v15, dynamic_masks: [dynamicMask] });
    accept({ ...v15, camera_control: { type: 'simple', config: { zoom: 5 } } });
  });

  it('element_list and voice_list exclude each other; voices need sound on', () => {
    refused({ ...v3, sound: 'on', element_list: [{ element_id: 1 }], voice_list: [{ voice_id: 'v' }] }, /element_list and voice_list cannot be used together/);
    accept({ ...v3, element_list: [{ element_id: 1 }, { element_id: '2' }, { element_id: 3 }] });
    refused({ ...v26pro, voice_list: [{ voice_id: 'v' }] }, /sound must be 'on' when voice_list is given/);
    accept({ ...v26pro, sound: 'on', voice_list: [{ voice_id: 'v' }, { voice_id: 'w' }] });
  });

  it('start/end frames only where the model has them (kling-v2-6: pro, silent)', () => {
    refused({ model_name: 'kling-v2-master', image: IMG, image_tail: TAIL }, /image_tail .* not supported by kling-v2-master/);
    refused({ model_name: 'kling-v1', image: IMG, image_tail: TAIL, duration: '10' }, /image_tail .*kling-v1 requires .*duration 5/);
    refused({ model_name: 'kling-v2-1', image: IMG, image_tail: TAIL, mode: 'std' }, /image_tail .*requires mode pro/);
    refused({ ...v26pro, image_tail: TAIL, sound: 'on' }, /image_tail with kling-v2-6 requires sound 'off'/);
    accept({ model_name: 'kling-v2-1', image: IMG, image_tail: TAIL, mode: 'pro', duration: '10' });
    accept({ ...v3, image_tail: TAIL, mode: '4k', duration: '12', sound: 'on' });
  });

  it('motion brush: kling-v1 std/pro 5 s, kling-v1-5 pro 5 s', () => {
    refused({ ...v26pro, static_mask: MASK }, /static_mask\/dynamic_masks .*not supported by kling-v2-6/);
    refused({ model_name: 'kling-v1-5', image: IMG, mode: 'std', dynamic_masks: [dynamicMask] }, /static_mask\/dynamic_masks .*mode pro/);
    accept({ model_name: 'kling-v1', image: IMG, mode: 'std', static_mask: MASK });
  });

  it("camera_control: kling-v1-5 pro 5 s, 'simple' only, one axis", () => {
    const v15 = { model_name: 'kling-v1-5', image: IMG, mode: 'pro' };
    refused({ ...v15, camera_control: { type: 'down_back' } }, /camera_control\.type 'down_back' is not supported by kling-v1-5/);
    refused({ ...v15, camera_control: { type: 'simple', config: { pan: 1, tilt: 1 } } }, /camera_control\.config/);
    refused({ ...v15, camera_control: { type: 'simple' } }, /camera_control\.config is required/);
    refused({ model_name: 'kling-v1', image: IMG, camera_control: { type: 'simple', config: { pan: 1 } } }, /camera_control .*not supported by kling-v1/);
  });

  it('voice_list: kling-v2-6 pro and kling-v3 (permissive §9)', () => {
    refused({ model_name: 'kling-v2-5-turbo', image: IMG, mode: 'pro', sound: 'on', voice_list: [{ voice_id: 'v' }] }, /voice_list \(voice control\) is not supported by kling-v2-5-turbo/);
    refused({ ...v26pro, mode: 'std', sound: 'on', voice_list: [{ voice_id: 'v' }] }, /voice_list \(voice control\) with kling-v2-6 requires mode pro/);
    accept({ ...v3, sound: 'on', voice_list: [{ voice_id: 'v' }] });
  });

  it('element_list and multi_shot: kling-v3 only', () => {
    refused({ ...v26pro, element_list: [{ element_id: 1 }] }, /element_list is not supported by kling-v2-6/);
    refused({ ...v26pro, multi_shot: true, shot_type: 'intelligence' }, /multi_shot is not supported by kling-v2-6/);
    accept({ ...v3, multi_shot: true, shot_type: 'intelligence', image_tail: TAIL });
  });

  it("sound, mode and duration per model", () => {
    refused({ model_name: 'kling-v1-6', image: IMG, sound: 'on' }, /sound 'on' is not supported by kling-v1-6/);
    refused({ model_name: 'kling-v2-6', image: IMG, sound: 'on' }, /sound 'on' with kling-v2-6 requires mode 'pro'/);
    refused({ model_name: 'kling-v2-6', image: IMG, mode: '4k' }, /mode '4k' is not supported by kling-v2-6/);
    refused({ model_name: 'kling-v2-6', image: IMG, duration: '8' }, /duration 8 is not supported by kling-v2-6/);
    accept({ ...v3, duration: '8', mode: '4k' });
  });
});

describe('image2video: field errors name the field', () => {
  const base = { image: IMG };
  it.each([
    [{ ...base, image: 'data:image/png;base64,iVBORw0KGgo=' }, /^image: must be an http\(s\) URL or raw Base64/],
    [{ ...base, image_tail: 'ftp://x/y.png' }, /^image_tail: /],
    [{ ...base, static_mask: 42 }, /^static_mask: /],
    [{ ...base, element_list: [1, 2, 3, 4].map((element_id) => ({ element_id })) }, /^element_list must have at most 3 items/],
    [{ ...base, element_list: [{ element_id: 'abc' }] }, /^element_list\[0\]\.element_id: must be an element id/],
    [{ ...base, voice_list: [{ voice_id: 'a' }, { voice_id: 'b' }, { voice_id: 'c' }] }, /^voice_list must have at most 2 items/],
    [{ ...base, voice_list: [{}] }, /^voice_list\[0\]\.voice_id is required/],
    [{ ...base, dynamic_masks: Array.from({ length: 7 }, () => dynamicMask) }, /^dynamic_masks must have at most 6 items/],
    [{ ...base, dynamic_masks: [{ mask: MASK, trajectories: [{ x: 1, y: 1 }] }] }, /^dynamic_masks\[0\]\.trajectories must have at least 2 items/],
    [{ ...base, dynamic_masks: [{ mask: MASK, trajectories: Array.from({ length: 78 }, (_, x) => ({ x, y: 1 })) }] }, /^dynamic_masks\[0\]\.trajectories must have at most 77 items/],
    [{ ...base, dynamic_masks: [{ mask: MASK, trajectories: [{ x: 1.5, y: 1 }, { x: 2, y: 2 }] }] }, /^dynamic_masks\[0\]\.trajectories\[0\]\.x must be an integer/],
    [{ ...base, dynamic_masks: [{ trajectories: dynamicMask.trajectories }] }, /^dynamic_masks\[0\]\.mask is required/],
    [{ ...base, cfg_scale: 2 }, /^cfg_scale must be at most 1/],
    [{ ...base, duration: '16' }, /^duration: /],
    [{ ...base, prompt: 'x'.repeat(2501) }, /^prompt must be at most 2500/],
    [{ ...base, mode: 'turbo' }, /^mode: must be one of/],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('unknown model → 1203', () => {
    refused({ ...base, model_name: 'kling-v3-omni' }, /model_name 'kling-v3-omni' does not exist/, 1203);
  });
});

describe('image2video: defaults, plan, units, element ids', () => {
  it('applies the documented defaults', () => {
    const { body, model } = accept({ image: IMG });
    expect(model).toBe('kling-v1');
    expect(body).toMatchObject({ mode: 'std', duration: '5', sound: 'off', cfg_scale: 0.5, multi_shot: false });
  });

  it('plans the image-driven video: no explicit ratio, first/last frames, model fps and class', () => {
    expect(planOf({ image: IMG, prompt: 'walk', mode: 'pro' })).toEqual({
      kind: 'video', resolution: 'std', aspectRatio: null, seconds: 5, fps: 30, audio: false, prompt: 'walk', shots: [],
      firstFrame: IMG, lastFrame: undefined, references: [], watermark: false,
    });
    expect(planOf({ model_name: 'kling-v2-1-master', image: IMG, mode: 'std', duration: 10 })).toMatchObject({ resolution: 'pro', fps: 24, seconds: 10 });
  });

  it('bills per second, with voice only when the prompt references a voice', () => {
    const voice = { model_name: 'kling-v2-6', image: IMG, mode: 'pro', sound: 'on', voice_list: [{ voice_id: 'v' }] };
    expect(unitsOf({ ...voice, prompt: 'The man <<<voice_1>>> said "Hello"', duration: '10' })).toBe(12);
    expect(unitsOf({ ...voice, prompt: 'no voice referenced' })).toBe(5);
    expect(unitsOf({ model_name: 'kling-v3', image: IMG, mode: 'std', duration: '4', sound: 'on' })).toBe(3.6);
    expect(family.slots(accept({ image: IMG }).body as any)).toBe(1);
  });

  it('keeps an element_id above 2^53 exactly', () => {
    const raw = `{"model_name":"kling-v3","image":"${IMG}","element_list":[{"element_id":829836802793406551}]}`;
    const { body } = accept(parseJsonKeepingBigInts(raw));
    expect(body.element_list[0].element_id).toBe('829836802793406551');
  });
});

describe('image2video: references', () => {
  it('names elements (both kinds: kling-v3 takes video characters too) and voices', () => {
    expect(family.references).toEqual([
      { field: 'element_list[].element_id', kind: 'element' },
      expect.objectContaining({ field: 'voice_list[].voice_id', kind: 'voice' }),
    ]);
  });
});
