import { describe, expect, it } from 'vitest';
import { families, familyGroups } from './families/index.ts';
import { actions } from './actions/index.ts';
import { referencesOf } from './action.ts';
import { checkInlineMedia, collectAllMediaInputs, collectMediaInputs, inputMark } from './inputs.ts';
import { IMAGE_LIMITS, mediaLimitBroken, REFERENCE_VIDEO_LIMITS, SOUND_FILE_LIMITS } from './media-limits.ts';
import { MOTION_VIDEO_LIMITS } from './families/motion-control.ts';
import { DUBBED_VIDEO_LIMITS } from './families/video-to-audio.ts';
import { FACE_UPLOAD_LIMITS } from './actions/videos.ts';
import { SELECTION_UPLOAD_LIMITS } from './actions/multi-elements.ts';
import { KlingError } from './errors.ts';
import { validateCreate } from './validate.ts';

const MB = 1024 * 1024;
const { motionControl, omniVideo, avatar, image2video } = familyGroups.videos as Record<string, any>;
const { videoToAudio } = familyGroups.audio as Record<string, any>;

/** The 1201 message checkInlineMedia throws, or undefined. */
function inlineProblem(family: any, body: object): string | undefined {
  try {
    checkInlineMedia(family.request, body);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(KlingError);
    expect((error as KlingError).code).toBe(1201);
    return (error as KlingError).message;
  }
}

/** Base64 of `bytes` bytes that start as a PNG of width × height (its IHDR header), the rest zeros. */
function pngBase64(width: number, height: number, bytes = 64): string {
  const data = new Uint8Array(bytes);
  data.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(data.buffer).setUint32(16, width);
  new DataView(data.buffer).setUint32(20, height);
  return btoa(String.fromCharCode(...data.subarray(0, Math.min(bytes, 64)))) + 'A'.repeat(Math.max(0, Math.ceil((bytes - 64) / 3) * 4));
}

describe('media limits are data on each field', () => {
  it('motion control takes the reference video its docs allow: mp4/mov, ≤ 100 MB, each side 340–3850 px', () => {
    expect(MOTION_VIDEO_LIMITS).toMatchObject({ formats: ['mp4', 'mov'], maxBytes: 100 * MB, minEdge: 340, maxEdge: 3850 });
    expect(inputMark(motionControl.request.properties.video_url)?.limits).toBe(MOTION_VIDEO_LIMITS);
    const video = (width: number, height: number, bytes = 10 * MB) => mediaLimitBroken('video', MOTION_VIDEO_LIMITS, { format: 'mov,mp4,m4a,3gp,3g2,mj2', bytes, width, height, seconds: 5, fps: 30 });
    expect(video(480, 480)).toBeUndefined();
    expect(video(3840, 2160)).toBeUndefined();
    expect(video(320, 480)).toBe('video width and height must be 340–3850 px (got 320x480)');
    expect(video(4096, 2160)).toBe('video width and height must be 340–3850 px (got 4096x2160)');
    expect(video(1920, 1080, 101 * MB)).toBe('video must be at most 100 MB (got 101.0 MB)');
    // omni-video's reference video keeps its own, stricter edges.
    expect(mediaLimitBroken('video', REFERENCE_VIDEO_LIMITS, { width: 480, height: 480 })).toBe('video width and height must be 720–2160 px (got 480x480)');
  });

  it('each media field has the limits its section documents', () => {
    const mark = (family: any, ...path: string[]) => {
      let schema = family.request;
      for (const key of path) schema = key === '[]' ? schema.items : schema.properties[key];
      return inputMark(schema)?.limits;
    };
    expect(mark(omniVideo, 'video_list', '[]', 'video_url')).toMatchObject({ maxBytes: 200 * MB, minEdge: 720, maxEdge: 2160, minFps: 24, maxFps: 60, minSeconds: 3 });
    expect(mark(motionControl, 'image_url')).toMatchObject({ maxBytes: 10 * MB, minEdge: 300, maxEdge: 65536, ratio: [0.4, 2.5] });
    expect(mark(videoToAudio, 'video_url')).toBe(DUBBED_VIDEO_LIMITS);
    expect(DUBBED_VIDEO_LIMITS).toEqual({ formats: ['mp4', 'mov'], maxBytes: 100 * MB });
    // "some fields omit the ratio rule": image2video's end frame.
    expect(mark(image2video, 'image')).toBe(IMAGE_LIMITS);
    expect(mark(image2video, 'image_tail')).not.toHaveProperty('ratio');
    expect(mark(avatar, 'sound_file')).toEqual({ formats: ['mp3', 'wav', 'm4a', 'aac'], maxBytes: 5 * MB });
    const action = (name: string) => actions.find((a) => a.name === name)!;
    expect(inputMark(action('identify-face').request.properties.video_url)?.limits).toBe(FACE_UPLOAD_LIMITS);
    expect(inputMark(action('multi-elements/init-selection').request.properties.video_url)?.limits).toBe(SELECTION_UPLOAD_LIMITS);
  });

  it('the server and SDK find every input with its limits', () => {
    const body = validateCreate(avatar, { image: 'https://a/p.png', sound_file: 'https://a/s.mp3' }).body;
    expect(collectMediaInputs(avatar.request, body).map((i) => i.field)).toEqual(['image']);
    expect(collectAllMediaInputs(avatar.request, body).map((i) => [i.field, i.kind, i.limits])).toEqual([
      ['image', 'image', IMAGE_LIMITS], ['sound_file', 'audio', SOUND_FILE_LIMITS],
    ]);
  });

  it('no reference note states a limit that is not data (sizes, edges, formats, lifetimes)', () => {
    const checkable = /\d\s*(?:MB|px|fps|h\b|s\b)|mp4|mov|mp3|wav|valid 24|\d+ days/i;
    for (const definition of [...families, ...actions] as any[]) {
      const sample = { input: { mode: 'text2video' }, duration: '5' };
      for (const ref of referencesOf(definition.references, sample as never)) {
        expect(ref.note ?? '', `${definition.name} ${ref.field}`).not.toMatch(checkable);
      }
    }
  });
});

describe('Base64 inputs are checked without decoding them', () => {
  const motion = (image_url: string) => ({ image_url, video_url: 'https://a/m.mp4', character_orientation: 'video', mode: 'std' });

  it('an image over its field\'s bytes is refused naming the field and the limit', () => {
    expect(inlineProblem(motionControl, motion(pngBase64(1000, 1000, 11 * MB)))).toMatch(/^image_url: image must be at most 10 MB \(got 11\.0 MB\)$/);
    expect(inlineProblem(motionControl, motion(pngBase64(1000, 1000, 9 * MB)))).toBeUndefined();
  });

  it('a PNG header shows its size and ratio; a WebP its format', () => {
    expect(inlineProblem(motionControl, motion(pngBase64(200, 400)))).toBe('image_url: image width and height must be 300–65536 px (got 200x400)');
    expect(inlineProblem(motionControl, motion(pngBase64(1200, 400)))).toMatch(/^image_url: image aspect ratio must be between 1:2\.5 and 2\.5:1/);
    const webp = btoa('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ');
    expect(inlineProblem(motionControl, motion(webp))).toBe('image_url: image format must be jpg, jpeg or png (got webp)');
    // Where no ratio rule is documented (the end frame), a wide PNG passes.
    expect(inlineProblem(image2video, { image_tail: pngBase64(1200, 400) })).toBeUndefined();
  });

  it('a sound over 5 MB is refused; URLs are left to the render', () => {
    expect(inlineProblem(avatar, { image: 'https://a/p.png', sound_file: 'A'.repeat(Math.ceil((6 * MB) / 3) * 4) })).toMatch(/^sound_file: audio must be at most 5 MB/);
    expect(inlineProblem(avatar, { image: 'https://a/p.png', sound_file: 'https://a/s.mp3' })).toBeUndefined();
  });
});
