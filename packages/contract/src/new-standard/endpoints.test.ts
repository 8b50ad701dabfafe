// The new-standard endpoints as data: every documented example is accepted, documented refusals are refused with
// the field named (live message shapes where they were recorded), plans and prices follow the request.

import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { NEW_STANDARD_EXAMPLES, OMNI_3_SCENARIOS } from '../testing/new-standard-examples.ts';
import { newStandardEndpoint, newStandardEndpoints } from './index.ts';
import { familyByName } from '../families/index.ts';
import { collectMediaInputs } from '../inputs.ts';

const endpoint = (name: string) => {
  const [product, model] = name.split('/');
  return familyTester(newStandardEndpoint(product, model)!);
};
const IMG = 'https://example.com/a.png';
const VID = 'https://example.com/a.mp4';

describe('every endpoint', () => {
  it('has a documented example, which it accepts; its tasks are found by family name', () => {
    expect(newStandardEndpoints.map((e) => e.name).sort()).toEqual(Object.keys(NEW_STANDARD_EXAMPLES).sort());
    for (const e of newStandardEndpoints) {
      expect(() => familyTester(e).accept(NEW_STANDARD_EXAMPLES[e.name]), e.name).not.toThrow();
      expect(familyByName(e.name)).toBe(e);
    }
  });

  it("accepts 3.0 Omni's other documented scenarios", () => {
    for (const [name, body] of Object.entries(OMNI_3_SCENARIOS)) expect(() => endpoint('omni-video/kling-3.0-omni').accept(body), name).not.toThrow();
  });

  it('ignores unknown keys at the top level and in settings, as live Kling does', () => {
    const t = endpoint('text-to-video/kling-3.0-turbo');
    const { body } = t.accept({ prompt: 'a cat', duration: 10, mode: 'pro', settings: { fps: 60, negative_prompt: 'dogs' } });
    expect(t.planOf(body).seconds).toBe(5);
  });
});

describe('body shape (live messages)', () => {
  const i2v = endpoint('image-to-video/kling-3.0');
  it('refuses a missing, empty or non-array contents', () => {
    expect(i2v.refused({}, /^contents cannot be empty$/).message).toBe('contents cannot be empty');
    i2v.refused({ contents: [] }, /^contents cannot be empty$/);
    i2v.refused({ contents: 'x' }, /^contents value type is invalid, expected array$/);
  });
  it('refuses an item type the endpoint does not take', () => {
    i2v.refused({ contents: [{ type: 'first_frame', url: IMG }, { type: 'end_frame', url: IMG }] }, /^contents\[1\]\.type value 'end_frame' is invalid/);
    endpoint('image-to-video/kling-3.0-turbo').refused({ contents: [{ type: 'first_frame', url: IMG }, { type: 'last_frame', url: IMG }] }, /contents\[1\]\.type value 'last_frame' is invalid/);
  });
  it('refuses blank prompt text and blank urls', () => {
    i2v.refused({ contents: [{ type: 'prompt', text: '  ' }, { type: 'first_frame', url: IMG }] }, /^content item of type 'prompt' must have non-blank text$/);
    i2v.refused({ contents: [{ type: 'first_frame', url: '' }] }, /^content item of type 'first_frame' must have a non-blank url$/);
  });
  it('names the field and the value of a bad setting; enums are lower-case', () => {
    const t = endpoint('text-to-video/kling-3.0');
    t.refused({ prompt: 'x', settings: { resolution: '9000p' } }, /^settings\.resolution value '9000p' is invalid: must be one of '720p', '1080p', '4k'$/);
    t.refused({ prompt: 'x', settings: { resolution: '720P' } }, /settings\.resolution value '720P' is invalid/);
    t.refused({ prompt: 'x', settings: { audio: 'bogus' } }, /settings\.audio value 'bogus' is invalid/);
    t.refused({ prompt: 'x', settings: { aspect_ratio: '7:3' } }, /settings\.aspect_ratio value '7:3' is invalid/);
    t.refused({ prompt: 'x', settings: { seed: 'x' } }, /settings\.seed value 'x' is invalid/);
  });
  it('requires prompt on text-to-video and caps it per model', () => {
    endpoint('text-to-video/kling-2.5-turbo').refused({ settings: {} }, /^prompt is required$/);
    endpoint('text-to-video/kling-2.6').refused({ prompt: 'x'.repeat(2501) }, /prompt must be at most 2500 characters/);
    endpoint('text-to-video/kling-3.0').accept({ prompt: 'x'.repeat(3072) });
  });
  it('takes duration as a number or a numeric string, within the model set', () => {
    const t = endpoint('text-to-video/kling-2.6');
    expect(t.planOf({ prompt: 'x', settings: { duration: '10' } }).seconds).toBe(10);
    t.refused({ prompt: 'x', settings: { duration: 7 } }, /settings\.duration value '7' is invalid: must be one of 5, 10/);
    endpoint('omni-video/kling-3.0-omni').refused({ contents: [{ type: 'prompt', text: 'x' }], settings: { duration: 99 } }, /settings\.duration value '99' is invalid: must be an integer from 3 to 15/);
  });
});

describe('multi-shot prompt syntax', () => {
  const turbo = endpoint('text-to-video/kling-3.0-turbo');
  it('turns a storyboard into shots that add up to the duration', () => {
    const plan = turbo.planOf(NEW_STANDARD_EXAMPLES['text-to-video/kling-3.0-turbo']);
    expect(plan.shots).toEqual([{ prompt: 'a red fox trots across fresh snow', seconds: 2 }, { prompt: 'the fox looks back at the camera', seconds: 3 }]);
  });
  it('refuses shots that do not add up, too many shots, a shot under 1 s or over 512 characters', () => {
    turbo.refused({ prompt: 'shot 1, 2, a; shot 2, 2, b;', settings: { duration: 5 } }, /^prompt: the shots last 4 seconds in total but settings\.duration is 5$/);
    const seven = Array.from({ length: 7 }, (_, i) => `shot ${i + 1}, 1, s${i}`).join('; ');
    turbo.refused({ prompt: seven, settings: { duration: 7 } }, /at most 6 shots/);
    turbo.refused({ prompt: 'shot 1, 0, a; shot 2, 5, b', settings: { duration: 5 } }, /shot 1 must last at least 1 second/);
    turbo.refused({ prompt: `shot 1, 5, ${'w'.repeat(513)}`, settings: { duration: 5 } }, /at most 512 characters/);
  });
  it('Kling 3.0 reads the syntax only while settings.multi_shot is true (its default)', () => {
    const t = endpoint('text-to-video/kling-3.0');
    expect(t.planOf({ prompt: 'shot 1, 2, a; shot 2, 3, b' }).shots).toHaveLength(2);
    expect(t.planOf({ prompt: 'shot 1, 2, a; shot 2, 2, b', settings: { multi_shot: false } }).shots).toEqual([]);
    endpoint('image-to-video/kling-3.0').refused({ contents: [{ type: 'prompt', text: 'shot 1, 2, a;' }, { type: 'first_frame', url: IMG }] }, /^contents\[0\]\.text: the shots last 2 seconds/);
  });
});

describe('image to video rules', () => {
  it('needs exactly one first frame; a last frame never alone', () => {
    const t = endpoint('image-to-video/kling-2.5-turbo');
    t.refused({ contents: [{ type: 'prompt', text: 'x' }] }, /^contents must include a first_frame item$/);
    t.refused({ contents: [{ type: 'first_frame', url: IMG }, { type: 'first_frame', url: IMG }] }, /at most 1 item of type first_frame/);
    t.refused({ contents: [{ type: 'last_frame', url: IMG }] }, /contents must include a first_frame item/);
  });
  it('Kling 2.6 and 2.5 Turbo: first + last frame only at 1080p; omitted resolution renders 1080p', () => {
    const t = endpoint('image-to-video/kling-2.6');
    const frames = [{ type: 'first_frame', url: IMG }, { type: 'last_frame', url: IMG }];
    t.refused({ contents: frames, settings: { resolution: '720p' } }, /^settings\.resolution must be '1080p' when contents has a last_frame item/);
    expect(t.planOf({ contents: frames }).resolution).toBe('pro');
    expect(t.unitsOf({ contents: frames })).toBe(2.5);
    endpoint('image-to-video/kling-2.5-turbo').refused({ contents: frames, settings: { resolution: '720p' } }, /settings\.resolution must be '1080p'/);
  });
  it("Kling 2.6 voices: at most 2, they need audio 'native', billed at the voice rate", () => {
    const t = endpoint('image-to-video/kling-2.6');
    const voice = (id: string) => ({ type: 'voice', voice_id: 'v', id });
    t.refused({ contents: [{ type: 'first_frame', url: IMG }, voice('1')], settings: { audio: 'off' } }, /^settings\.audio must be 'native' when contents has voice items/);
    t.refused({ contents: [{ type: 'first_frame', url: IMG }, voice('1'), voice('2'), voice('3')], settings: { audio: 'native' } }, /at most 2 items of type voice/);
    expect(t.unitsOf(NEW_STANDARD_EXAMPLES['image-to-video/kling-2.6'])).toBe(6);
    t.refused({ contents: [{ type: 'first_frame', url: IMG }], settings: { audio: 'native', resolution: '720p' } }, /settings\.audio is 'native'/);
  });
  it('Kling 3.0: at most 3 elements, ids unique, @id references name an item', () => {
    const t = endpoint('image-to-video/kling-3.0');
    const el = (id: string) => ({ type: 'element', element_id: '1', id });
    t.refused({ contents: [{ type: 'first_frame', url: IMG }, el('a'), el('b'), el('c'), el('d')] }, /at most 3 items of type element/);
    t.refused({ contents: [{ type: 'first_frame', url: IMG }, el('a'), el('a')] }, /^contents\[2\]\.id 'a' is already the id of contents\[1\]/);
    t.refused({ contents: [{ type: 'prompt', text: '@element_2 waves' }, { type: 'first_frame', url: IMG }, el('element_1')] }, /^contents\[0\]\.text: @element_2 names no content item/);
    t.refused({ contents: [{ type: 'first_frame', url: IMG }, { type: 'element', element_id: '1' }] }, /contents\[1\]\.id is required/);
    // Names are checked by the server against the caller's elements (elementNames); e-mail addresses are no references.
    t.accept({ contents: [{ type: 'prompt', text: '@Zhang mails a@b.com' }, { type: 'first_frame', url: IMG }] });
  });
  it('@Name references: where elements can be given, names the server supplies resolve them, exactly', () => {
    expect(newStandardEndpoints.filter((e) => e.elementNames).map((e) => e.name).sort())
      .toEqual(['image-to-video/kling-3.0', 'motion-control/kling-3.0', 'omni-video/kling-3.0-omni', 'omni-video/kling-o1']);
    const names = newStandardEndpoint('image-to-video', 'kling-3.0')!.elementNames!;
    const body = (text: string) => ({ contents: [{ type: 'first_frame' as const, url: IMG }, { type: 'prompt' as const, text }, { type: 'element' as const, element_id: '1', id: 'hero' }] });
    // Nothing to look up: a content id, an e-mail address, a lone @.
    expect(names.pending(body('@hero mails a@b.com at @ noon'))).toBe(false);
    expect(names.pending(body('@Zhang waves'))).toBe(true);
    expect(names.check(body('@Zhang waves'), ['Zhang'])).toBeUndefined();
    // Found in the text as the vendor finds them: no word boundary needed (its caution about @Zhang vs @ZhangSan).
    expect(names.check(body('@张三走来'), ['张三'])).toBeUndefined();
    expect(names.check(body('@Li waves'), ['Zhang'])).toBe("contents[1].text: @Li names no content item and none of your elements (you have no element named 'Li')");
    expect(names.check(body('@zhang waves'), ['Zhang'])).toMatch(/case included: did you mean @Zhang\?$/);
  });
});

describe('omni video rules', () => {
  const omni = endpoint('omni-video/kling-3.0-omni');
  const prompt = { type: 'prompt', text: 'x' };
  it('one reference video; editing takes no frames, no multi-shot, no native audio', () => {
    omni.refused({ contents: [prompt, { type: 'feature_video', url: VID }, { type: 'base_video', url: VID }] }, /at most one reference video/);
    omni.refused({ contents: [prompt, { type: 'base_video', url: VID }, { type: 'first_frame', url: IMG }], settings: { multi_shot: false } }, /base_video item \(video editing\) cannot be combined with first_frame/);
    omni.refused({ contents: [prompt, { type: 'base_video', url: VID }] }, /^settings\.multi_shot must be false with a base_video item/);
    omni.refused({ contents: [prompt, { type: 'base_video', url: VID }], settings: { multi_shot: false, audio: 'native' } }, /cannot be 'native' with a base_video/);
  });
  it("a feature video takes audio 'off' and multi-shot; 'original' needs a video", () => {
    omni.refused({ contents: [prompt, { type: 'feature_video', url: VID }], settings: { audio: 'native' } }, /^settings\.audio must be 'off' with a feature_video item/);
    omni.refused({ contents: [prompt], settings: { audio: 'original' } }, /^settings\.audio 'original' keeps the reference video's sound/);
  });
  it('plans the reference video: editing keeps the input shape and sound; billed per second with video input', () => {
    const plan = omni.planOf(OMNI_3_SCENARIOS.base_video);
    expect(plan.referenceVideo).toEqual({ url: 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-tob-release_note/video_7.1.mp4', role: 'base', keepSound: true });
    expect(plan.aspectRatio).toBeNull();
    const e = newStandardEndpoint('omni-video', 'kling-3.0-omni')!;
    const body = omni.accept(OMNI_3_SCENARIOS.base_video).body;
    expect(e.units(body, { seconds: 7.3 })).toBe(8.4);
    expect(omni.unitsOf(OMNI_3_SCENARIOS.feature_video)).toBe(15);
    expect(omni.unitsOf(NEW_STANDARD_EXAMPLES['omni-video/kling-3.0-omni'])).toBe(5);
  });
  it('element kinds: the 3.0 Omni table', () => {
    const e = newStandardEndpoint('omni-video', 'kling-3.0-omni')!;
    const withVideo = { contents: [prompt, { type: 'feature_video', url: VID }, { type: 'refer_image', url: IMG }] };
    expect(e.elementMix!(withVideo, ['video_refer'])).toMatch(/video-character element cannot be combined with refer_image/);
    expect(e.elementMix!({ contents: [prompt] }, ['video_refer', 'video_refer', 'video_refer', 'video_refer'])).toMatch(/at most 3 video-character/);
    expect(e.elementMix!({ contents: [prompt] }, ['image_refer', 'image_refer', 'image_refer', 'image_refer', 'image_refer', 'video_refer'])).toMatch(/at most 4 next to video-character/);
    expect(e.elementMix!({ contents: [prompt] }, Array(7).fill('image_refer'))).toBeUndefined();
  });
  it('O1: first + last frame alone; first frame only is 5 or 10 s; no multi_shot or native audio', () => {
    const o1 = endpoint('omni-video/kling-o1');
    const frames = [prompt, { type: 'first_frame', url: IMG }, { type: 'last_frame', url: IMG }];
    o1.refused({ contents: [...frames, { type: 'refer_image', url: IMG }], settings: { duration: 5 } }, /kling-o1 takes no refer_image or element items/);
    o1.refused({ contents: [prompt, { type: 'first_frame', url: IMG }], settings: { duration: 7 } }, /settings\.duration must be 5 or 10/);
    o1.refused({ contents: [prompt], settings: { audio: 'native' } }, /settings\.audio value 'native' is invalid/);
    expect(o1.planOf({ contents: [prompt], settings: { multi_shot: true } }).shots).toEqual([]);
  });
});

describe('motion control', () => {
  const t = endpoint('motion-control/kling-3.0');
  it('needs character_orientation, an image and a video; at most one element', () => {
    t.refused({ contents: [{ type: 'image', url: IMG }, { type: 'video', url: VID }] }, /^settings\.character_orientation is required$/);
    t.refused({ contents: [{ type: 'image', url: IMG }], settings: { character_orientation: 'image' } }, /^contents must include a video item$/);
    const el = (id: string) => ({ type: 'element', element_id: '1', id });
    t.refused({ contents: [{ type: 'image', url: IMG }, { type: 'video', url: VID }, el('a'), el('b')], settings: { character_orientation: 'video' } }, /at most 1 item of type element/);
    endpoint('motion-control/kling-2.6').refused({ contents: [{ type: 'image', url: IMG }, { type: 'video', url: VID }, el('a')], settings: { character_orientation: 'video' } }, /contents\[2\]\.type value 'element' is invalid/);
  });
  it('follows the video for its length (10 s with orientation image), keeps its sound unless audio is off', () => {
    const plan = t.planOf(NEW_STANDARD_EXAMPLES['motion-control/kling-3.0']);
    expect(plan).toMatchObject({ kind: 'sourced-video', length: { from: 'source', maxSeconds: 10 }, keepSourceSound: true, resolution: 'std' });
    const e = newStandardEndpoint('motion-control', 'kling-3.0')!;
    expect(e.units(t.accept(NEW_STANDARD_EXAMPLES['motion-control/kling-3.0']).body as any, { seconds: 6.4 })).toBe(5.4);
  });
});

describe('text to video', () => {
  it('Kling 3.0 Turbo always has audio; sizes follow resolution and ratio; priced per second', () => {
    const t = endpoint('text-to-video/kling-3.0-turbo');
    expect(t.planOf({ prompt: 'x', settings: { aspect_ratio: '9:16' } })).toMatchObject({ audio: true, resolution: 'std', aspectRatio: '9:16', seconds: 5 });
    expect(t.unitsOf({ prompt: 'x', settings: { duration: 3 } })).toBe(2.4);
    expect(t.unitsOf(NEW_STANDARD_EXAMPLES['text-to-video/kling-3.0-turbo'])).toBe(5);
  });
  it('Kling 2.6: native audio at 1080p only', () => {
    const t = endpoint('text-to-video/kling-2.6');
    t.refused({ prompt: 'x', settings: { audio: 'native', resolution: '720p' } }, /settings\.resolution must be '1080p'/);
    expect(t.planOf({ prompt: 'x', settings: { audio: 'native' } })).toMatchObject({ resolution: 'pro', audio: true });
    expect(t.unitsOf({ prompt: 'x' })).toBe(1.5);
  });
});

describe('media inputs', () => {
  it('are found in contents[] by item type, each with its limits (images 50 MB; 3.0 Omni videos 700–4553 px)', () => {
    const e = newStandardEndpoint('omni-video', 'kling-3.0-omni')!;
    const body = { contents: [{ type: 'prompt', text: 'x' }, { type: 'refer_image', url: IMG }, { type: 'feature_video', url: VID }] };
    const inputs = collectMediaInputs(e.request, body);
    expect(inputs.map((i) => [i.field, i.kind])).toEqual([['contents[1].url', 'image'], ['contents[2].url', 'video']]);
    expect(inputs[0].limits.maxBytes).toBe(50 * 1024 * 1024);
    expect(inputs[1].limits).toMatchObject({ minEdge: 700, maxEdge: 4553, maxSeconds: 15.5 });
  });
});
