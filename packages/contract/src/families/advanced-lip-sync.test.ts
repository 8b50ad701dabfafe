import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { advancedLipSync as family } from './advanced-lip-sync.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

const SOUND = 'https://p1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/go-to-world.mp3';
const face = { face_id: '0', sound_file: SOUND, sound_insert_time: 1000, sound_start_time: 0, sound_end_time: 3000 };
const withFace = (changes: object) => ({ session_id: '850508686686064678', face_choose: [{ ...face, ...changes }] });

describe('advanced-lip-sync', () => {
  it('accepts the create example ([OFF], [004 «Lip Sync»]) and plans the clip', () => {
    const body = {
      session_id: '850508686686064678',
      face_choose: [{
        face_id: '0',
        sound_file: SOUND,
        sound_insert_time: 1000,
        sound_start_time: 0,
        sound_end_time: 3000,
        sound_volume: 2,
        original_audio_volume: 2,
      }],
      external_task_id: '',
      callback_url: '',
    };
    expect(planOf(body)).toEqual({
      kind: 'talking-video', resolution: null, fps: null, audio: { soundFile: SOUND }, length: { from: 'source', maxSeconds: 60 },
      sessionId: '850508686686064678', faceId: '0',
      clip: { startMs: 0, endMs: 3000, insertMs: 1000, volume: 2, originalVolume: 2 }, prompt: '', watermark: false,
    });
  });

  it('face_choose holds exactly one face', () => {
    refused({ session_id: '1', face_choose: [] }, /^face_choose: must hold exactly one face/);
    refused({ session_id: '1', face_choose: [face, face] }, /^face_choose: must hold exactly one face/);
    refused({ session_id: '1' }, /^face_choose is required/);
  });

  it('audio_id xor sound_file, named with the item', () => {
    refused(withFace({ sound_file: '' }), /^one of face_choose\[0\]\.audio_id and face_choose\[0\]\.sound_file is required/);
    refused(withFace({ audio_id: 'a1' }), /^only one of face_choose\[0\]\.audio_id and face_choose\[0\]\.sound_file may be given/);
    expect(planOf(withFace({ audio_id: 'a1', sound_file: '' })).audio).toEqual({ audioId: 'a1' });
  });

  it('the cropped sound lasts at least 2 s', () => {
    refused(withFace({ sound_end_time: 1999 }), /^face_choose\[0\]\.sound_end_time must be at least 2000 ms after sound_start_time .*got 1999 ms/);
    refused(withFace({ sound_start_time: 5000, sound_end_time: 3000 }), /got -2000 ms/);
    accept(withFace({ sound_start_time: 1000, sound_end_time: 3000 }));
    accept(withFace({ sound_start_time: '1000', sound_end_time: '3000', sound_insert_time: '0' }));
  });

  it('volumes in [0, 2], default 1', () => {
    refused(withFace({ sound_volume: 2.5 }), /^face_choose\[0\]\.sound_volume must be at most 2/);
    refused(withFace({ original_audio_volume: -1 }), /^face_choose\[0\]\.original_audio_volume must be at least 0/);
    expect(accept(withFace({})).body.face_choose[0]).toMatchObject({ sound_volume: 1, original_audio_volume: 1 });
    accept(withFace({ sound_volume: 0, original_audio_volume: 0 }));
  });

  it.each([
    [{ face_choose: [face] }, /^session_id is required/],
    [withFace({ face_id: '' }), /^face_choose\[0\]\.face_id: must be a non-empty id/],
    [withFace({ sound_insert_time: -5 }), /^face_choose\[0\]\.sound_insert_time: must be a time in milliseconds/],
    [withFace({ sound_start_time: 1.5 }), /^face_choose\[0\]\.sound_start_time: /],
    [{ ...withFace({}), watermark_info: { enabled: 'yes' } }, /^watermark_info/],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('references: the identify-face session, its face, the audio', () => {
    expect((family.references as any[]).map((r) => `${r.field}:${r.kind}`)).toEqual([
      'session_id:session', 'face_choose[].face_id:face', 'face_choose[].audio_id:audio', 'face_choose[].sound_file:audio-file',
    ]);
    // What the server reads to check them: the session's kind, where the sound is placed, where the crop ends.
    const [session, faceRef, audio] = family.references as any[];
    expect(session).toMatchObject({ sessionKind: 'identify-face', seconds: [2, 60] });
    expect(faceRef).toMatchObject({
      session: 'session_id', clip: { start: 'sound_start_time', end: 'sound_end_time', insert: 'sound_insert_time', minOverlapMs: 2000 },
    });
    expect(audio).toMatchObject({ endsBy: 'sound_end_time', seconds: [2, 60] });
  });

  it('bills 0.5 per started 5 s of lip-synced sound', () => {
    expect(unitsOf(withFace({}))).toBe(0.5);
    expect(unitsOf(withFace({ sound_end_time: 5000 }))).toBe(0.5);
    expect(unitsOf(withFace({ sound_end_time: 5001 }))).toBe(1);
    expect(unitsOf(withFace({ sound_end_time: 60000 }))).toBe(6);
  });
});
