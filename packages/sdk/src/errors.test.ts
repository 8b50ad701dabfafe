// One error class per family of Kling codes, chosen by the contract's categories; unknown codes by HTTP status.

import { describe, expect, it } from 'vitest';
import { KLING_CODES } from '@kiln/contract';
import {
  AccountError, apiError, AuthenticationError, InvalidRequestError, KlingApiError, PolicyError, RateLimitError, ServerError,
} from './errors.ts';
import { isRetryableApiError } from './retry.ts';

const expected: [number, typeof KlingApiError][] = [
  [1000, AuthenticationError], [1004, AuthenticationError], [1101, AccountError], [1103, AccountError],
  [1201, InvalidRequestError], [1203, InvalidRequestError], [1301, PolicyError], [1303, RateLimitError],
  [5000, ServerError], [5002, ServerError],
];

describe('apiError', () => {
  it.each(expected)('code %i → %o', (code, Class) => {
    const error = apiError('msg', { code, httpStatus: KLING_CODES[code].http, requestId: 'r' });
    expect(error).toBeInstanceOf(Class);
    expect(error).toMatchObject({ code, httpStatus: KLING_CODES[code].http, requestId: 'r' });
    expect(error.message).toBe(`${code} msg`);
    expect(error.name).toBe(Class.name);
  });

  it('covers every code the contract knows', () => {
    for (const code of Object.keys(KLING_CODES).map(Number).filter((c) => c !== 0)) {
      expect(apiError('x', { code, httpStatus: KLING_CODES[code].http }).constructor).not.toBe(KlingApiError);
    }
  });

  it('falls back to the HTTP status for answers that are not Kling envelopes', () => {
    expect(apiError('Bad Gateway', { httpStatus: 502 })).toBeInstanceOf(ServerError);
    expect(apiError('Too Many', { httpStatus: 429 })).toBeInstanceOf(RateLimitError);
    expect(apiError('Unauthorized', { httpStatus: 401 })).toBeInstanceOf(AuthenticationError);
    expect(apiError('x', { httpStatus: 502 }).message).toBe('HTTP 502 x');
  });

  it('retries rate, concurrency and server errors only', () => {
    const retryable = (code: number) => isRetryableApiError(apiError('x', { code, httpStatus: KLING_CODES[code].http }));
    expect([1302, 1303, 5000, 5001, 5002].every(retryable)).toBe(true);
    expect([1002, 1004, 1102, 1201, 1203, 1301, 1304].some(retryable)).toBe(false);
    expect(isRetryableApiError(apiError('x', { httpStatus: 503 }))).toBe(true);
    expect(isRetryableApiError(apiError('x', { code: 1303, httpStatus: 429, local: true }))).toBe(false);
  });
});
