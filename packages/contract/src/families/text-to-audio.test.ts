import { describe, expect, it } from 'vitest';
import { familyTester } from '../testing/family-tester.ts';
import { NO_MODEL } from '../family.ts';
import { textToAudio as family } from './text-to-audio.ts';

const { accept, refused, planOf, unitsOf, slotsOf } = familyTester(family);

describe('text-to-audio', () => {
  it('accepts the create example ([OFF], [004 «Text to Audio»]) and plans 3 s of mp3 + wav', () => {
    const body = { prompt: 'Fireworks sound during Chinese New Year celebration', duration: 3, external_task_id: '', callback_url: '' };
    expect(planOf(body)).toEqual({
      kind: 'audio', seconds: 3, formats: ['mp3', 'wav'], prompt: 'Fireworks sound during Chinese New Year celebration', dubVideo: false,
    });
  });

  it('duration: 3.0–10.0 s, one decimal place, as a number or numeric string', () => {
    for (const duration of [3, 3.0, 5.5, 10, '7.2', '10.0']) accept({ prompt: 'rain', duration });
    expect(planOf({ prompt: 'rain', duration: '7.2' }).seconds).toBe(7.2);
    for (const duration of [2.9, 10.1, 0, 5.55, '12', '3.25']) {
      refused({ prompt: 'rain', duration }, /^duration must be from 3.0 to 10.0 seconds with at most one decimal place/);
    }
    refused({ prompt: 'rain', duration: 'five' }, /^duration: must be a number/);
    refused({ prompt: 'rain' }, /^duration is required/);
  });

  it('prompt: required, at most 200 characters', () => {
    refused({ duration: 5 }, /^prompt is required/);
    refused({ prompt: '', duration: 5 }, /^prompt must not be empty/);
    refused({ prompt: 'x'.repeat(201), duration: 5 }, /^prompt must be at most 200 characters/);
    accept({ prompt: 'x'.repeat(200), duration: 5 });
  });

  it('has no model (a stray model_name is ignored); 0.25 units per call, one slot', () => {
    const { body, model } = accept({ prompt: 'rain', duration: 5, model_name: 'kling-audio' });
    expect(model).toBe(NO_MODEL);
    expect(body.model_name).toBeUndefined();
    expect(unitsOf({ prompt: 'rain', duration: 10 })).toBe(0.25);
    expect(slotsOf({ prompt: 'rain', duration: 10 })).toBe(1);
    expect(family.result).toBe('audios');
  });
});
