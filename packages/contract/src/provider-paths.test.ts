import { describe, expect, it } from 'vitest';
import { pathStylePrefix, pathUnderPrefix, PROVIDER_PATH_STYLES, ROUTE_PREFIXES, servedPaths } from './provider-paths.ts';
import { isRetryableCode, KLING_CODES } from './errors.ts';
import { RESULT_LIFETIME_MS, SESSION_LIFETIME_MS } from './lifetimes.ts';

describe('provider path styles', () => {
  it('three styles, one definition for routes and clients', () => {
    expect(PROVIDER_PATH_STYLES.map((s) => s.prefix)).toEqual(['/v1', '/kling/v1', '/v1/ai/{endpoint}/kling']);
    expect(ROUTE_PREFIXES).toEqual(['/v1', '/kling/v1', '/v1/ai/:endpoint/kling']);
    expect(pathStylePrefix('ai-endpoint', 'kling video')).toBe('/v1/ai/kling%20video/kling');
    expect(pathUnderPrefix(pathStylePrefix('kling-prefix'), '/v1/videos/omni-video')).toBe('/kling/v1/videos/omni-video');
    expect(servedPaths('/v1/videos/identify-face')).toEqual([
      '/v1/videos/identify-face', '/kling/v1/videos/identify-face', '/v1/ai/:endpoint/kling/videos/identify-face',
    ]);
    // The account endpoints have no /v1 and no documented reseller form.
    expect(servedPaths('/account/costs')).toEqual(['/account/costs']);
  });
});

describe('Kling facts that were code', () => {
  it('the error table says which codes are worth retrying', () => {
    const retryable = Object.keys(KLING_CODES).map(Number).filter((code) => KLING_CODES[code].retryable);
    expect(retryable).toEqual([1302, 1303, 5000, 5001, 5002]);
    expect(isRetryableCode(1102)).toBe(false);
    expect(isRetryableCode(4242)).toBe(false);
  });

  it('results live 30 days, editing sessions 24 hours', () => {
    expect(RESULT_LIFETIME_MS).toBe(30 * 86_400_000);
    expect(SESSION_LIFETIME_MS).toBe(86_400_000);
  });
});
