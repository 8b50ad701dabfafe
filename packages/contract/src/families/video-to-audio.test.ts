import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { videoToAudio as family } from './video-to-audio.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

const VIDEO = 'https://p1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/20fps-7s.mov';

describe('video-to-audio', () => {
  it('accepts the create example ([OFF], [004 «Video to Audio»]): audio as long as the video, plus the dubbed video', () => {
    const body = { video_url: VIDEO, external_task_id: '', callback_url: '' };
    expect(planOf(body)).toEqual({
      kind: 'audio', seconds: null, follows: { videoUrl: VIDEO }, formats: ['mp3', 'wav'], prompt: '', bgmPrompt: '', asmr: false, dubVideo: true,
    });
    expect(family.result).toEqual(['videos', 'audios']);
  });

  it('video_id xor video_url ("" counts as absent)', () => {
    refused({}, /^one of video_id and video_url is required \(both are empty\)/);
    refused({ video_id: '', video_url: '' }, /^one of video_id and video_url is required/);
    refused({ video_id: '123', video_url: VIDEO }, /^only one of video_id and video_url may be given, not both/);
    expect(planOf({ video_id: '123', video_url: '' }).follows).toEqual({ videoId: '123' });
  });

  it('prompts ≤ 200 characters; asmr_mode boolean (default false)', () => {
    const body = { video_id: '1', sound_effect_prompt: 'waves', bgm_prompt: 'calm piano', asmr_mode: true };
    expect(planOf(body)).toMatchObject({ prompt: 'waves', bgmPrompt: 'calm piano', asmr: true });
    expect(accept({ video_id: '1' }).body.asmr_mode).toBe(false);
    refused({ video_id: '1', sound_effect_prompt: 'x'.repeat(201) }, /^sound_effect_prompt must be at most 200 characters/);
    refused({ video_id: '1', bgm_prompt: 'x'.repeat(201) }, /^bgm_prompt must be at most 200 characters/);
    refused({ video_id: '1', asmr_mode: 'on' }, /^asmr_mode: must be a boolean/);
    refused({ video_url: 'file:///tmp/a.mp4' }, /^video_url: must be an http\(s\) URL of an MP4\/MOV video \(or empty\)/);
  });

  it('references: a Kling video ≤ 30 days or an uploaded one, 3–20 s', () => {
    expect(family.references).toEqual([
      expect.objectContaining({ field: 'video_id', kind: 'video', maxAgeDays: 30, seconds: [3, 20] }),
      expect.objectContaining({ field: 'video_url', kind: 'video-url', seconds: [3, 20] }),
    ]);
  });

  it('0.25 units per call', () => {
    expect(unitsOf({ video_id: '1' })).toBe(0.25);
  });
});
