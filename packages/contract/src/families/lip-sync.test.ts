import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { referencesOf } from '../action.ts';
import { lipSync as family } from './lip-sync.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

const VIDEO = 'https://example.com/talk.mp4';
const SOUND = 'https://example.com/voice.mp3';
const text2video = (input: object = {}) => ({ input: { video_url: VIDEO, mode: 'text2video', text: 'Hello there', voice_id: 'genshin_vindi2', ...input } });
const audio2video = (input: object = {}) => ({ input: { video_id: '860', mode: 'audio2video', audio_type: 'url', audio_url: SOUND, ...input } });

describe('lip-sync (old endpoint)', () => {
  it('accepts the transcribed example shape ([DMX]) and plans the video\'s face speaking the TTS of the text', () => {
    const body = {
      input: { video_url: VIDEO, mode: 'text2video', text: '你好', voice_id: 'genshin_vindi2', voice_language: 'zh', voice_speed: 1.0 },
      callback_url: '',
    };
    expect(planOf(body)).toEqual({
      kind: 'talking-video', resolution: null, fps: null,
      audio: { speech: { text: '你好', voiceId: 'genshin_vindi2', language: 'zh', speed: 1 } },
      length: { from: 'source', maxSeconds: 10 }, video: { videoUrl: VIDEO }, prompt: '', watermark: false,
    });
  });

  it('audio2video speaks the audio_file (Base64) or audio_url, as audio_type says; the video by video_id', () => {
    expect(planOf(audio2video())).toMatchObject({ audio: { soundFile: SOUND }, video: { videoId: '860' } });
    const file = audio2video({ audio_type: 'file', audio_file: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEA', audio_url: '' });
    expect(planOf(file).audio).toEqual({ soundFile: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEA' });
  });

  it('voice_language defaults to zh, voice_speed to 1; speeds are clamped to [0.8, 2.0] and rounded to 0.1, as TTS', () => {
    expect(planOf(text2video()).audio.speech).toMatchObject({ language: 'zh', speed: 1 });
    expect(planOf(text2video({ voice_speed: 1.26 })).audio.speech.speed).toBe(1.3);
    expect(planOf(text2video({ voice_speed: '3' })).audio.speech.speed).toBe(2);
    expect(planOf(text2video({ voice_speed: 0.5 })).audio.speech.speed).toBe(0.8);
  });

  it('input: exactly one of video_id and video_url', () => {
    refused(text2video({ video_url: '' }), /^one of input\.video_id and input\.video_url is required/);
    refused(text2video({ video_id: '860' }), /^only one of input\.video_id and input\.video_url may be given/);
    accept(text2video({ video_id: '', video_url: VIDEO }));
  });

  it('each mode needs its own fields, named in the message', () => {
    refused(text2video({ text: '' }), /^input\.text is required when input\.mode is 'text2video'/);
    refused(text2video({ voice_id: undefined }), /^input\.voice_id is required when input\.mode is 'text2video'/);
    refused(audio2video({ audio_type: undefined }), /^input\.audio_type is required when input\.mode is 'audio2video'/);
    refused(audio2video({ audio_url: '' }), /^input\.audio_url is required when input\.audio_type is 'url'/);
    refused(audio2video({ audio_type: 'file' }), /^input\.audio_file is required when input\.audio_type is 'file'/);
    // The other mode's fields are not needed, and ignored when sent.
    expect(planOf(audio2video({ text: 'unused' })).audio).toEqual({ soundFile: SOUND });
  });

  it.each([
    [{}, /^input is required/],
    [text2video({ mode: 'video2video' }), /^input\.mode: must be one of 'text2video', 'audio2video'/],
    [text2video({ text: 'x'.repeat(121) }), /^input\.text/],
    [text2video({ voice_language: 'fr' }), /^input\.voice_language: must be one of 'zh', 'en'/],
    [text2video({ video_url: 'ftp://a/b.mp4' }), /^input\.video_url: must be an http\(s\) URL/],
    [audio2video({ audio_type: 'file', audio_file: 'https://example.com/a.mp3' }), /^input\.audio_file: must be raw Base64 audio/],
    [audio2video({ audio_url: 'bm90IGEgdXJs' }), /^input\.audio_url: must be an http\(s\) URL/],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('a text of exactly 120 characters is accepted', () => {
    accept(text2video({ text: 'x'.repeat(120) }));
  });

  it('references: a Kling video of 5–10 s or an upload of 2–10 s, then only what the mode uses', () => {
    const refs = (body: object) => referencesOf(family.references, accept(body).body as any).map((r) => [r.field, r.kind, r.seconds]);
    const videos = [['input.video_id', 'video', [5, 10]], ['input.video_url', 'video-url', [2, 10]]];
    expect(refs(text2video())).toEqual([...videos, ['input.voice_id', 'voice', undefined]]);
    // A leftover voice_id is ignored in audio2video, so it is not looked up.
    expect(refs(audio2video({ voice_id: 'nobody' }))).toEqual([...videos, ['input.audio_url', 'audio-file', undefined]]);
    expect(refs(audio2video({ audio_type: 'file', audio_file: 'UklGRiQAAABXQVZF' }))).toEqual([...videos, ['input.audio_file', 'audio-file', undefined]]);
  });

  it('bills 0.5 units per started 5 s of the video (as advanced lip-sync), a frame of container slack allowed', () => {
    const body = accept(text2video()).body as any;
    expect(unitsOf(text2video())).toBe(0.5);
    expect(family.units(body, { seconds: 2 })).toBe(0.5);
    expect(family.units(body, { seconds: 5.04 })).toBe(0.5);
    expect(family.units(body, { seconds: 7.5 })).toBe(1);
    expect(family.units(body, { seconds: 10.02 })).toBe(1);
  });
});
