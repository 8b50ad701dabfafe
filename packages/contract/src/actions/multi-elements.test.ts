import { describe, expect, it } from 'vitest';
import { KlingError } from '../errors.ts';
import { validateAction, type AnyAction } from '../action.ts';
import { addSelection, clearSelection, deleteSelection, initSelection, previewSelection } from './multi-elements.ts';

function refused(action: AnyAction, body: unknown, message: RegExp, code = 1201) {
  let error: unknown;
  try {
    validateAction(action, body);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(KlingError);
  expect((error as KlingError).code).toBe(code);
  expect((error as KlingError).message).toMatch(message);
}

const VIDEO = 'https://v1-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/animals-output-5s.mp4';
const point = { x: 0.7738498789346246, y: 0.297142857142857 };

describe('multi-elements selection actions', () => {
  it('accepts the documented examples ([OFF], [004 «Multi-elements to video»])', () => {
    // The unused side of the pair, sent as "", is read as not given.
    expect(validateAction(initSelection, { video_id: '', video_url: VIDEO })).toEqual({ video_url: VIDEO });
    validateAction(addSelection, { session_id: '847570360458960960', frame_index: 0, points: [point] });
    validateAction(deleteSelection, { session_id: '847570360458960960', frame_index: 0, points: [point] });
    validateAction(clearSelection, { session_id: '847570360458960960' });
    validateAction(previewSelection, { session_id: '847570360458960960' });
  });

  it('init-selection: video_id xor video_url; the video lasts 2–5 s or 7–10 s (a reference)', () => {
    refused(initSelection, {}, /^one of video_id and video_url is required/);
    refused(initSelection, { video_id: '1', video_url: VIDEO }, /^only one of video_id and video_url may be given/);
    refused(initSelection, { video_url: 'ftp://a/b.mp4' }, /^video_url: /);
    validateAction(initSelection, { video_id: '743211632612511839' });
    expect(initSelection.references).toEqual([
      expect.objectContaining({ field: 'video_id', kind: 'video', maxAgeDays: 30, seconds: [[2, 5], [7, 10]] }),
      expect.objectContaining({ field: 'video_url', kind: 'video-url', seconds: [[2, 5], [7, 10]] }),
    ]);
  });

  it('add-selection: one frame, 1–10 points with x and y in [0, 1]', () => {
    const base = { session_id: 's', frame_index: 3 };
    refused(addSelection, { ...base, points: [] }, /^points must have at least 1 item/);
    refused(addSelection, { ...base, points: Array.from({ length: 11 }, () => point) }, /^points must have at most 10 items/);
    refused(addSelection, { ...base, points: [{ x: 1.2, y: 0 }] }, /^points\[0\]\.x must be at most 1/);
    refused(addSelection, { ...base, points: [{ x: 0.5 }] }, /^points\[0\]\.y is required/);
    refused(addSelection, { ...base, frame_index: -1, points: [point] }, /^frame_index must be at least 0/);
    refused(addSelection, { ...base, frame_index: 1.5, points: [point] }, /^frame_index must be an integer/);
    refused(addSelection, { frame_index: 0, points: [point] }, /^session_id is required/);
    validateAction(addSelection, { ...base, points: Array.from({ length: 10 }, () => point) });
  });

  it('delete-selection takes any number of points; clear/preview need the session', () => {
    validateAction(deleteSelection, { session_id: 's', frame_index: 0, points: Array.from({ length: 12 }, () => point) });
    refused(clearSelection, {}, /^session_id is required/);
    refused(previewSelection, { session_id: '' }, /^session_id: must be a non-empty id/);
    refused(previewSelection, 'session', /request body must be a JSON object/, 1200);
  });

  it('are POSTs under /v1/videos/multi-elements/', () => {
    for (const a of [initSelection, addSelection, deleteSelection, clearSelection, previewSelection]) {
      expect(a.method).toBe('POST');
      expect(a.path).toBe(`/v1/videos/${a.name}`);
    }
  });
});
