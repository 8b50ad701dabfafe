import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { advancedCustomElements as family, ELEMENT_TAGS } from './advanced-custom-elements.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

const F = 'https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-1.png';
const R = 'https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-2.png';
const V = 'https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/person-5s.mp4';
const imageElement = { element_name: 'Ann', element_description: 'a girl', reference_type: 'image_refer', element_image_list: { frontal_image: F, refer_images: [{ image_url: R }] } };
const videoElement = { element_name: 'Bob', element_description: 'a man', reference_type: 'video_refer', element_video_list: { refer_videos: [{ video_url: V }] } };

describe('advanced-custom-elements: documented examples', () => {
  // The official "Invocation examples" are templates, not JSON: `"element_voice_id": string` is not a JSON value,
  // and "xxx" stands for the tag id and the callback URL. With those filled in, the bodies are accepted; the
  // placeholders themselves break documented rules (tag ids are o_101…o_108, callback_url is an http(s) URL).
  it('accepts the multi-image element example with its placeholders filled in ([OFF], [004 «Element»])', () => {
    const body = {
      element_name: 'xxx',
      element_description: 'xxx',
      reference_type: 'image_refer',
      element_image_list: { frontal_image: 'xxx', refer_images: [{ image_url: 'xxx' }, { image_url: 'xxx' }] },
      element_voice_id: '850087542757535834',
      callback_url: 'https://example.com/kling-callback',
      external_task_id: '',
      tag_list: [{ tag_id: 'o_102' }],
    };
    expect(planOf(body)).toEqual({
      kind: 'element', name: 'xxx', description: 'xxx', referenceType: 'image_refer', images: ['xxx', 'xxx', 'xxx'], videos: [],
      voiceId: '850087542757535834', tags: ['o_102'],
    });
    refused({ ...body, tag_list: [{ tag_id: 'xxx' }] }, /^tag_list\[0\]\.tag_id: must be a tag id: o_101, /);
    refused({ ...body, callback_url: 'xxx' }, /^callback_url: /);
  });

  it('accepts the video character element example with its placeholders filled in ([OFF])', () => {
    const body = {
      element_name: 'xxx',
      element_description: 'xxx',
      reference_type: 'video_refer',
      element_video_list: { refer_videos: [{ video_url: V }] },
      element_voice_id: '',
      callback_url: '',
      external_task_id: '',
      tag_list: [{ tag_id: 'o_101' }],
    };
    expect(planOf(body)).toMatchObject({ referenceType: 'video_refer', images: [], videos: [V], voiceId: undefined, tags: ['o_101'] });
  });
});

describe('advanced-custom-elements: rules', () => {
  it('image_refer needs element_image_list with a frontal image and 1–3 refer_images', () => {
    const { element_image_list: _, ...noImages } = imageElement;
    refused(noImages, /^element_image_list \(frontal_image and 1 to 3 refer_images\) is required when reference_type is 'image_refer'/);
    refused({ ...imageElement, element_image_list: { frontal_image: F, refer_images: [] } }, /^element_image_list\.refer_images must have at least 1 item/);
    refused({ ...imageElement, element_image_list: { frontal_image: F, refer_images: [1, 2, 3, 4].map(() => ({ image_url: R })) } }, /^element_image_list\.refer_images must have at most 3 items/);
    refused({ ...imageElement, element_image_list: { refer_images: [{ image_url: R }] } }, /^element_image_list\.frontal_image is required/);
    accept({ ...imageElement, element_image_list: { frontal_image: F, refer_images: [1, 2, 3].map(() => ({ image_url: R })) } });
  });

  it('video_refer needs element_video_list with one video; each list is ignored for the other type', () => {
    const { element_video_list: _, ...noVideo } = videoElement;
    refused(noVideo, /^element_video_list \(one refer_videos item\) is required when reference_type is 'video_refer'/);
    refused({ ...videoElement, element_video_list: { refer_videos: [{ video_url: V }, { video_url: V }] } }, /^element_video_list\.refer_videos must have at most 1 item/);
    refused({ ...videoElement, element_video_list: { refer_videos: [{ video_url: '' }] } }, /^element_video_list\.refer_videos\[0\]\.video_url: /);
    expect(planOf({ ...videoElement, element_image_list: imageElement.element_image_list }).images).toEqual([]);
    expect(planOf({ ...imageElement, element_video_list: videoElement.element_video_list }).videos).toEqual([]);
  });

  it('a voice may be bound to either kind (multi-image elements since 03/23/2026)', () => {
    expect(planOf({ ...imageElement, element_voice_id: 'v1' }).voiceId).toBe('v1');
    expect(planOf({ ...videoElement, element_voice_id: 'v1' }).voiceId).toBe('v1');
  });

  it.each([
    [{ ...imageElement, element_name: 'x'.repeat(21) }, /^element_name must be at most 20 characters/],
    [{ ...imageElement, element_name: '' }, /^element_name must not be empty/],
    [{ ...imageElement, element_description: 'x'.repeat(101) }, /^element_description must be at most 100 characters/],
    [{ ...imageElement, reference_type: 'audio_refer' }, /^reference_type: must be one of 'video_refer', 'image_refer'/],
    [{ element_name: 'a', element_description: 'b' }, /^reference_type is required/],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('knows the eight tags; elements are free (no published price)', () => {
    accept({ ...imageElement, tag_list: ELEMENT_TAGS.map((tag_id) => ({ tag_id })) });
    expect(unitsOf(imageElement)).toBe(0);
    expect(family.result).toBe('elements');
  });
});
