import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { avatar as family } from './avatar.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

const IMG = 'https://p1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/pink_boy.png';
const SOUND = 'https://p1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/go-to-world.mp3';

describe('avatar/image2video', () => {
  it('accepts the create example ([OFF], [004 «Avatar»]) and plans a video as long as the sound', () => {
    const body = {
      image: IMG,
      sound_file: SOUND,
      prompt: 'While talking, excitedly shaking head, finally reaching out and making a fist, deciding to set off, hopping happily',
      mode: 'std',
      external_task_id: '',
      callback_url: '',
    };
    expect(planOf(body)).toEqual({
      kind: 'talking-video', resolution: 'std', fps: 24, audio: { soundFile: SOUND }, length: { from: 'audio', maxSeconds: 300 },
      image: IMG, prompt: body.prompt, watermark: false,
    });
  });

  it('audio_id xor sound_file; "" counts as absent', () => {
    refused({ image: IMG }, /one of audio_id and sound_file is required/);
    refused({ image: IMG, audio_id: '', sound_file: '' }, /one of audio_id and sound_file is required/);
    refused({ image: IMG, audio_id: 'a1', sound_file: SOUND }, /only one of audio_id and sound_file may be given/);
    expect(planOf({ image: IMG, audio_id: 'a1', sound_file: '' }).audio).toEqual({ audioId: 'a1' });
    accept({ image: IMG, sound_file: 'SUQzBAAAAAAAI1RTU0UAAAAPAAADTGF2ZjU4Ljc2LjEwMAAAAAAAAAAAAAAA' });
  });

  it.each([
    [{ sound_file: SOUND }, /^image is required/],
    [{ image: 'data:image/png;base64,AAAA', sound_file: SOUND }, /^image: must be an http\(s\) URL or raw Base64/],
    [{ image: IMG, sound_file: 'data:audio/mp3;base64,AAAA' }, /^sound_file: must be an http\(s\) URL or raw Base64 audio/],
    [{ image: IMG, sound_file: SOUND, mode: 'pro+' }, /^mode: must be one of 'std', 'pro'/],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('ignores a stray model_name (no model for avatar)', () => {
    expect(accept({ image: IMG, sound_file: SOUND, model_name: 'kling-v9' }).body.model_name).toBeUndefined();
  });

  it('references: a TTS audio ≤ 30 days of 2–300 s, or a 2–300 s sound file', () => {
    expect(family.references).toEqual([
      expect.objectContaining({ field: 'audio_id', kind: 'audio', maxAgeDays: 30, seconds: [2, 300] }),
      expect.objectContaining({ field: 'sound_file', kind: 'audio-file', seconds: [2, 300] }),
    ]);
  });

  it('bills 0.4 (std) / 0.8 (pro) per output second, 2 s before the sound is measured', () => {
    const body = accept({ image: IMG, sound_file: SOUND }).body as any;
    expect(family.units(body, { seconds: 12 })).toBe(4.8);
    expect(family.units({ ...body, mode: 'pro' }, { seconds: 12 })).toBe(9.6);
    expect(unitsOf({ image: IMG, sound_file: SOUND })).toBe(0.8);
  });
});
