import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { collectMediaInputs } from '../inputs.ts';
import { customVoices as family, TRIAL_SECONDS } from './custom-voices.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

const VOICE = 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/out.mp3';

describe('custom-voices', () => {
  it('accepts the create example, which sends "video_id": "" ([OFF], [004 «Voice Clone»])', () => {
    const body = { video_id: '', voice_url: VOICE, voice_name: 'Custom Voice', callback_url: '' };
    expect(planOf(body)).toEqual({ kind: 'voice', name: 'Custom Voice', source: { voiceUrl: VOICE }, trialSeconds: TRIAL_SECONDS });
  });

  it('one of voice_url and video_id; with both the recording is used (exclusivity not documented)', () => {
    refused({ voice_name: 'v' }, /^one of voice_url and video_id is required/);
    refused({ voice_name: 'v', voice_url: '', video_id: '' }, /^one of voice_url and video_id is required/);
    expect(planOf({ voice_name: 'v', video_id: '123' }).source).toEqual({ videoId: '123' });
    expect(planOf({ voice_name: 'v', video_id: '123', voice_url: VOICE }).source).toEqual({ voiceUrl: VOICE });
  });

  it('voice_name: required, ≤ 20 characters; voice_url an http(s) URL', () => {
    refused({ voice_url: VOICE }, /^voice_name is required/);
    refused({ voice_name: 'x'.repeat(21), voice_url: VOICE }, /^voice_name must be at most 20 characters/);
    refused({ voice_name: 'v', voice_url: 'c29tZSBhdWRpbw==' }, /^voice_url: must be an http\(s\) URL of an mp3\/wav\/mp4\/mov file/);
  });

  it('voice_url is marked as an audio input, which the image/video reader skips', () => {
    expect(collectMediaInputs(family.request, accept({ voice_name: 'v', voice_url: VOICE }).body)).toEqual([]);
  });

  it('lists take pageSize up to 1000; references; 0.05 units per call', () => {
    expect(family.pageBounds).toEqual({ maxPageNum: 1000, maxPageSize: 1000, defaultPageSize: 30 });
    expect((family.references as any[]).map((r) => [r.field, r.kind, r.seconds])).toEqual([
      ['voice_url', 'audio-file', [5, 30]], ['video_id', 'video', [5, 30]],
    ]);
    // "an avatar or lip-sync output": the old lip-sync endpoint's videos as well as advanced lip-sync's.
    expect((family.references as any[])[1].families).toEqual(['text2video', 'image2video', 'avatar/image2video', 'advanced-lip-sync', 'lip-sync']);
    expect(unitsOf({ voice_name: 'v', voice_url: VOICE })).toBe(0.05);
    expect(family.result).toBe('voices');
  });
});
