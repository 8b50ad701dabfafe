import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { DOCUMENTED_STORYBOARD } from '../testing/documented-storyboard.ts';
import { text2video as family } from './text2video.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

describe('text2video: documented examples', () => {
  it('accepts the create example ([OFF], [004 «Text to Video»])', () => {
    const { body, model } = accept({
      model_name: 'kling-v2-6',
      prompt: 'A cute little rabbit wearing glasses, sitting at a table, reading a newspaper, with a cup of cappuccino on the table',
      negative_prompt: '',
      duration: '5',
      mode: 'pro',
      sound: 'on',
      aspect_ratio: '1:1',
      callback_url: '',
      external_task_id: '',
    });
    expect(model).toBe('kling-v2-6');
    expect(body.sound).toBe('on');
  });

  it('accepts the multi-shot example ([OFF] "Text To Video with Multiple Shot")', () => {
    const body = {
      model_name: 'kling-v3',
      prompt: '',
      multi_prompt: DOCUMENTED_STORYBOARD,
      multi_shot: true,
      shot_type: 'customize',
      duration: '15',
      mode: 'pro',
      sound: 'on',
      aspect_ratio: '9:16',
      callback_url: '',
      external_task_id: '',
    };
    const plan = planOf(body);
    expect(plan).toMatchObject({ resolution: 'pro', aspectRatio: '9:16', seconds: 15, audio: true, fps: 24 });
    expect(plan.kind === 'video' && plan.shots.map((s: { seconds: number }) => s.seconds)).toEqual([2, 3, 3, 3, 3, 1]);
  });
});

describe('text2video: cross-field rules', () => {
  const v3 = { model_name: 'kling-v3', prompt: 'a cat' };

  it('multi-shot: shot_type, prompt, multi_prompt and durations', () => {
    refused({ ...v3, multi_shot: true }, /shot_type/);
    accept({ ...v3, multi_shot: true, shot_type: 'intelligence' });
    refused({ model_name: 'kling-v3', multi_shot: true, shot_type: 'intelligence' }, /prompt/);
    refused({ model_name: 'kling-v1' }, /prompt is required/);
    refused({ ...v3, multi_shot: true, shot_type: 'customize' }, /multi_prompt/);
    refused(
      { ...v3, multi_shot: true, shot_type: 'customize', duration: '5', multi_prompt: [{ index: 1, prompt: 'a', duration: '2' }] },
      /multi_prompt durations add up to 2 seconds but duration is 5/,
    );
    accept({ model_name: 'kling-v3', multi_shot: 'true', shot_type: 'customize', duration: 5, multi_prompt: [{ index: 1, prompt: 'a', duration: 5 }] });
    // multi_shot false: shot_type and multi_prompt are ignored
    accept({ ...v3, multi_shot: false, shot_type: 'customize' });
  });

  it('mode must be supported by the model (4k only kling-v3)', () => {
    refused({ model_name: 'kling-v1', prompt: 'a', mode: '4k' }, /mode '4k' is not supported by kling-v1/);
    expect(planOf({ ...v3, mode: '4k' }).resolution).toBe('4k');
  });

  it('duration must be supported by the model', () => {
    refused({ model_name: 'kling-v2-6', prompt: 'a', duration: '7' }, /duration 7 .*kling-v2-6/);
    accept({ ...v3, duration: '7' });
    accept({ model_name: 'kling-v2-6', prompt: 'a', duration: 10 });
  });

  it('multi_shot only on kling-v3', () => {
    refused({ model_name: 'kling-v2-6', prompt: 'a', multi_shot: true, shot_type: 'intelligence' }, /multi_shot is not supported by kling-v2-6/);
  });

  it("sound 'on': v2-6 pro and v3 only", () => {
    refused({ model_name: 'kling-v1', prompt: 'a', sound: 'on' }, /sound 'on' is not supported by kling-v1/);
    refused({ model_name: 'kling-v2-6', prompt: 'a', sound: 'on', mode: 'std' }, /sound 'on' with kling-v2-6 requires mode 'pro'/);
    accept({ model_name: 'kling-v2-6', prompt: 'a', sound: 'on', mode: 'pro' });
    accept({ ...v3, sound: 'on', mode: 'std' });
  });

  it('camera_control: config only and required for simple, exactly one axis, kling-v1 std 5 s only', () => {
    const v1 = { model_name: 'kling-v1', prompt: 'a', mode: 'std', duration: '5' };
    accept({ ...v1, camera_control: { type: 'simple', config: { horizontal: 0, vertical: 0, pan: 5, tilt: 0, roll: 0, zoom: 0 } } });
    refused({ ...v1, camera_control: { type: 'simple' } }, /camera_control\.config is required/);
    refused({ ...v1, camera_control: { type: 'simple', config: null } }, /camera_control\.config is required/);
    refused({ ...v1, camera_control: { type: 'simple', config: { pan: 5, zoom: 2 } } }, /camera_control\.config .*pan, zoom/);
    refused({ ...v1, camera_control: { type: 'simple', config: { pan: 0 } } }, /camera_control\.config must set exactly one/);
    accept({ ...v1, camera_control: { type: 'down_back' } });
    accept({ ...v1, camera_control: { type: 'forward_up', config: null } });
    refused({ ...v1, camera_control: { type: 'down_back', config: { zoom: 3 } } }, /camera_control\.config must be empty .*down_back/);
    refused({ ...v1, mode: 'pro', camera_control: { type: 'down_back' } }, /camera_control .*mode 'std'/);
    refused({ ...v1, duration: '10', camera_control: { type: 'down_back' } }, /camera_control .*duration 5/);
    refused({ ...v3, camera_control: { type: 'down_back' } }, /camera_control is not supported by kling-v3/);
  });

  it('kling-v2-master accepts mode and ignores it; cfg_scale is ignored on v2.x', () => {
    expect(planOf({ model_name: 'kling-v2-master', prompt: 'a', mode: 'pro', cfg_scale: 0.9 }).resolution).toBe('std');
    expect(planOf({ model_name: 'kling-v2-1-master', prompt: 'a', mode: 'std' }).resolution).toBe('pro');
  });
});

describe('text2video: field errors name the field', () => {
  const base = { prompt: 'a' };
  it.each([
    [{ ...base, aspect_ratio: '4:3' }, /^aspect_ratio: must be one of/],
    [{ ...base, mode: 'ultra' }, /^mode: must be one of/],
    [{ ...base, sound: 'loud' }, /^sound: must be one of/],
    [{ ...base, duration: '20' }, /^duration: must be one of/],
    [{ ...base, duration: 5.5 }, /^duration/],
    [{ prompt: 'x'.repeat(2501) }, /^prompt must be at most 2500 characters/],
    [{ ...base, negative_prompt: 'x'.repeat(2501) }, /^negative_prompt must be at most 2500/],
    [{ ...base, prompt: 42 }, /^prompt must be a string/],
    [{ ...base, cfg_scale: 1.5 }, /^cfg_scale must be at most 1/],
    [{ ...base, cfg_scale: -0.1 }, /^cfg_scale must be at least 0/],
    [{ ...base, multi_shot: 'yes' }, /^multi_shot: must be a boolean/],
    [{ ...base, shot_type: 'auto' }, /^shot_type: must be one of/],
    [{ ...base, multi_prompt: Array.from({ length: 7 }, (_, i) => ({ index: i, prompt: 'a', duration: '1' })) }, /^multi_prompt must have at most 6 items/],
    [{ ...base, multi_prompt: [{ index: 1, prompt: 'x'.repeat(513), duration: '1' }] }, /^multi_prompt\[0\]\.prompt must be at most 512/],
    [{ ...base, camera_control: { type: 'orbit' } }, /^camera_control\.type: must be one of/],
    [{ ...base, camera_control: { type: 'simple', config: { pan: 11 } } }, /^camera_control\.config: /],
    [{ ...base, callback_url: 'ftp://example.com' }, /^callback_url: must be an http\(s\) URL/],
    [{ ...base, external_task_id: 'x'.repeat(257) }, /^external_task_id must be at most 256/],
    [{ ...base, watermark_info: { enabled: 'yes' } }, /^watermark_info/],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('unknown model → 1203', () => {
    refused({ ...base, model_name: 'kling-v9' }, /model_name 'kling-v9' does not exist/, 1203);
    refused({ ...base, model_name: 'kling-v1-5' }, /kling-v1-5/, 1203);
  });
});

describe('text2video: defaults, plan and units', () => {
  it('applies the documented defaults (kling-v1, std, 5 s, 16:9, sound off, cfg_scale 0.5)', () => {
    const { body, model } = accept({ prompt: 'a', model_name: '' });
    expect(model).toBe('kling-v1');
    expect(body).toMatchObject({ model_name: 'kling-v1', mode: 'std', duration: '5', aspect_ratio: '16:9', sound: 'off', cfg_scale: 0.5, multi_shot: false });
  });

  it('plans what the model renders', () => {
    expect(planOf({ prompt: 'a cat', mode: 'pro' })).toEqual({
      kind: 'video', resolution: 'std', aspectRatio: '16:9', seconds: 5, fps: 30, audio: false, prompt: 'a cat',
      shots: [], references: [], watermark: false,
    });
    expect(planOf({ model_name: 'kling-v1-6', prompt: 'a', mode: 'pro', aspect_ratio: '9:16', watermark_info: { enabled: true } }))
      .toMatchObject({ resolution: 'pro', aspectRatio: '9:16', fps: 24, watermark: true });
  });

  it('bills per second (spec §1.10)', () => {
    expect(unitsOf({ model_name: 'kling-v3', prompt: 'a', mode: 'pro', duration: '10', sound: 'on' })).toBe(12);
    expect(unitsOf({ model_name: 'kling-v3', prompt: 'a', mode: 'std', duration: '3' })).toBe(1.8);
    expect(unitsOf({ model_name: 'kling-v3', prompt: 'a', mode: '4k', duration: '5' })).toBe(15);
    expect(unitsOf({ model_name: 'kling-v2-6', prompt: 'a', mode: 'pro', sound: 'on' })).toBe(5);
    // changelog: V2.5-turbo pro 5 s = 2.5 units, std 10 s = 3 units
    expect(unitsOf({ model_name: 'kling-v2-5-turbo', prompt: 'a', mode: 'pro' })).toBe(2.5);
    expect(unitsOf({ model_name: 'kling-v2-5-turbo', prompt: 'a', mode: 'std', duration: '10' })).toBe(3);
    expect(family.slots(accept({ prompt: 'a' }).body as any)).toBe(1);
  });
});
