import { describe, expect, it } from 'vitest';
import { KlingError } from '../errors.ts';
import { validateAction } from '../action.ts';
import { identifyFace, imageRecognize } from './videos.ts';
import { tts, ttsSpeed } from './tts.ts';

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KlingError);
    expect((e as KlingError).code).toBe(1201);
    return (e as KlingError).message;
  }
  throw new Error('expected a refusal');
};

describe('identify-face', () => {
  it('accepts the documented example, which sends "video_id": "" ([OFF], [004 «Lip Sync»])', () => {
    validateAction(identifyFace, { video_url: 'https://p1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/kling20260206mp4.mp4', video_id: '' });
  });

  it('video_id xor video_url; 0.05 units per call; the video lengths are references', () => {
    expect(message(() => validateAction(identifyFace, { video_id: '', video_url: '' }))).toMatch(/^one of video_id and video_url is required/);
    expect(message(() => validateAction(identifyFace, { video_id: '1', video_url: 'https://a/b.mp4' }))).toMatch(/^only one of video_id and video_url/);
    expect(identifyFace.units!({} as any)).toBe(0.05);
    expect((identifyFace.references as any[]).map((r) => r.seconds)).toEqual([[0, 60], [2, 60]]);
  });
});

describe('image-recognize', () => {
  it('accepts the documented example ([OFF], [004 «Image Recognize»]); image is required; 0.1 units per call', () => {
    validateAction(imageRecognize, { image: 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-1.png' });
    expect(message(() => validateAction(imageRecognize, {}))).toMatch(/^image is required/);
    expect(message(() => validateAction(imageRecognize, { image: 'data:image/png;base64,AA' }))).toMatch(/^image: must be an http\(s\) URL or raw Base64/);
    expect(imageRecognize.units!({} as any)).toBe(0.1);
  });
});

describe('tts', () => {
  const example = {
    text: 'Throughout my time in college, several memorable event left a significant impact on my life',
    voice_id: 'oversea_male1',
    voice_language: 'en',
    voice_speed: 1,
  };

  it('accepts the documented example ([OFF], [004 «Text to Speech»]) and plans one mp3 of the spoken length (15 words at 4 a second)', () => {
    const body = validateAction(tts, example);
    expect(tts.plan!(body)).toEqual({
      kind: 'audio', seconds: 3.8, formats: ['mp3'], prompt: '', dubVideo: false,
      speech: { text: example.text, voiceId: 'oversea_male1', language: 'en', speed: 1 },
    });
    expect(tts.units!(body)).toBe(0.05);
  });

  it('text 1–1000 characters, voice_id required, voice_language zh|en (default zh)', () => {
    expect(message(() => validateAction(tts, { ...example, text: 'x'.repeat(1001) }))).toMatch(/^text must be at most 1000 characters/);
    expect(message(() => validateAction(tts, { ...example, text: '' }))).toMatch(/^text must not be empty/);
    expect(message(() => validateAction(tts, { text: 'hi' }))).toMatch(/^voice_id is required/);
    expect(message(() => validateAction(tts, { ...example, voice_language: 'fr' }))).toMatch(/^voice_language: must be one of 'zh', 'en'/);
    expect(validateAction(tts, { text: '你好', voice_id: 'v' })).toMatchObject({ voice_language: 'zh', voice_speed: 1 });
  });

  it('voice_speed out of [0.8, 2.0] is rounded into it, as documented, not refused', () => {
    expect(ttsSpeed(3)).toBe(2);
    expect(ttsSpeed(0.1)).toBe(0.8);
    expect(ttsSpeed('1.25')).toBe(1.3);
    expect(ttsSpeed(undefined)).toBe(1);
    const slow = validateAction(tts, { ...example, voice_speed: 0.5 });
    expect(tts.plan!(slow)).toMatchObject({ seconds: 4.7, speech: { speed: 0.8 } });
    expect(message(() => validateAction(tts, { ...example, voice_speed: 'fast' }))).toMatch(/^voice_speed: must be a number/);
  });
});
