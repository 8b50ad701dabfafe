import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { NO_MODEL } from '../family.ts';
import { EXTENSION_SECONDS, videoExtend as family } from './video-extend.ts';

const { accept, refused, planOf, unitsOf } = familyTester(family);

describe('video-extend', () => {
  it('accepts the create example ([OFF], [004 «Extend Video»]) and plans parent + 5 s', () => {
    const body = { prompt: 'A puppy appears', video_id: '743211632612511839', negative_prompt: '', callback_url: '' };
    expect(planOf(body)).toMatchObject({
      kind: 'sourced-video', source: { videoId: '743211632612511839' },
      length: { from: 'source-plus', addSeconds: EXTENSION_SECONDS, maxSeconds: 180 }, inherit: 'all', prompt: 'A puppy appears',
    });
  });

  it('has no model: model and mode are inherited; a stray model_name or mode is ignored ([GRID] lists them)', () => {
    const { body, model } = accept({ video_id: '1', model_name: 'kling-v1-6', mode: 'pro' });
    expect(model).toBe(NO_MODEL);
    expect(body.model_name).toBeUndefined();
    expect(body.cfg_scale).toBe(0.5);
  });

  it('accepts negative_prompt and cfg_scale for any parent (§9: the kling-v1 map says unsupported)', () => {
    accept({ video_id: '1', negative_prompt: 'blur', cfg_scale: 1 });
  });

  it.each([
    [{}, /^video_id is required/],
    [{ video_id: '' }, /^video_id: must be a non-empty id/],
    [{ video_id: 743211632612511839 }, /^video_id: /],
    [{ video_id: '1', cfg_scale: 1.5 }, /^cfg_scale must be at most 1/],
    [{ video_id: '1', prompt: 'x'.repeat(2501) }, /^prompt must be at most 2500/],
    [{ video_id: '1', callback_url: 'not a url' }, /^callback_url: /],
  ])('%j', (body, message) => {
    refused(body, message);
  });

  it('names the parent for the server: v1.x text2video/image2video/video-extend results, < 30 days, within 3 minutes', () => {
    expect(family.references).toEqual([expect.objectContaining({
      field: 'video_id', kind: 'video', maxAgeDays: 30, seconds: [0, 175],
      families: ['text2video', 'image2video', 'video-extend'], models: ['kling-v1', 'kling-v1-5', 'kling-v1-6'],
    })]);
  });

  it('bills the 5 added seconds at 0.3 per second', () => {
    expect(unitsOf({ video_id: '1' })).toBe(1.5);
  });
});
