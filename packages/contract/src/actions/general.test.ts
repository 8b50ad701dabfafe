import { describe, expect, it } from 'vitest';
import { KlingError } from '../errors.ts';
import { validateAction } from '../action.ts';
import { parseJsonKeepingBigInts } from '../json.ts';
import {
  accountCosts, advancedPresetsElements, deleteAdvancedElements, deleteElements, deleteVoices, presetsVoices,
} from './general.ts';

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KlingError);
    return (e as KlingError).message;
  }
  throw new Error('expected a refusal');
};

describe('deletes', () => {
  it('delete-voices: the documented example ([OFF]); voice_id required; custom voices only (a reference)', () => {
    validateAction(deleteVoices, { voice_id: '850087542757535834' });
    expect(message(() => validateAction(deleteVoices, {}))).toMatch(/^voice_id is required/);
    expect(deleteVoices.references).toEqual([{ field: 'voice_id', kind: 'voice', customOnly: true }]);
  });

  it('delete-elements is served under both documented paths (§9), with the same body', () => {
    expect([deleteElements.path, deleteAdvancedElements.path]).toEqual(['/v1/general/delete-elements', '/v1/general/delete-advanced-elements']);
    for (const action of [deleteElements, deleteAdvancedElements]) {
      validateAction(action, { element_id: '829836802793406551' });
      validateAction(action, { element_id: 160 });
      expect(validateAction(action, parseJsonKeepingBigInts('{"element_id": 829836802793406551}')).element_id).toBe('829836802793406551');
      expect(message(() => validateAction(action, { element_id: 'abc' }))).toMatch(/^element_id: must be an element id/);
      expect(message(() => validateAction(action, {}))).toMatch(/^element_id is required/);
    }
  });
});

describe('preset lists (GET)', () => {
  it('read pageNum/pageSize from the query string, with defaults', () => {
    expect(validateAction(presetsVoices, { pageNum: '1', pageSize: '30' })).toEqual({ pageNum: 1, pageSize: 30 });
    expect(validateAction(presetsVoices, {})).toEqual({ pageNum: 1, pageSize: 30 });
    expect(validateAction(presetsVoices, { pageSize: ['5', '7'] })).toEqual({ pageNum: 1, pageSize: 7 });
  });

  it('voices: pageSize 1–1000; elements: 1–500; pageNum 1–1000', () => {
    expect(validateAction(presetsVoices, { pageSize: '1000' }).pageSize).toBe(1000);
    expect(message(() => validateAction(presetsVoices, { pageSize: '1001' }))).toMatch(/^pageSize must be at most 1000/);
    expect(message(() => validateAction(presetsVoices, { pageSize: '0' }))).toMatch(/^pageSize must be at least 1/);
    expect(message(() => validateAction(advancedPresetsElements, { pageSize: '501' }))).toMatch(/^pageSize must be at most 500/);
    expect(message(() => validateAction(advancedPresetsElements, { pageNum: '1001' }))).toMatch(/^pageNum must be at most 1000/);
    expect(message(() => validateAction(presetsVoices, { pageNum: 'two' }))).toMatch(/^pageNum must be an integer/);
  });
});

describe('account/costs (GET)', () => {
  it('accepts the documented query ([OFF], [004 «Query user info»])', () => {
    expect(validateAction(accountCosts, { start_time: '1726124664368', end_time: '1727366400000' })).toEqual({
      start_time: 1726124664368, end_time: 1727366400000,
    });
    validateAction(accountCosts, { start_time: '1726124664368', end_time: '1727366400000', resource_pack_name: 'Video Generation - 10,000 entries' });
  });

  it('start_time and end_time are required integer milliseconds', () => {
    expect(message(() => validateAction(accountCosts, { end_time: '1' }))).toMatch(/^start_time is required/);
    expect(message(() => validateAction(accountCosts, { start_time: '1' }))).toMatch(/^end_time is required/);
    expect(message(() => validateAction(accountCosts, { start_time: 'yesterday', end_time: '1' }))).toMatch(/^start_time must be an integer/);
    // A fractional query value is read as its integer part (TypeBox's conversion), as a lenient server would.
    expect(validateAction(accountCosts, { start_time: '1.5', end_time: '2' }).start_time).toBe(1);
    expect(accountCosts.path).toBe('/account/costs');
  });
});
