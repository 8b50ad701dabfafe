// Providers as (host, path prefix): the official hosts, the two reseller path styles, kiln, and a base URL override.

import { describe, expect, it } from 'vitest';
import { newStandardPath } from '@kiln/contract';
import { actionPath, familyPath, resolveProvider } from './providers.ts';

describe('resolveProvider', () => {
  it('knows the official hosts and kiln', () => {
    expect(resolveProvider()).toEqual({ baseUrl: 'https://api-singapore.klingai.com', prefix: '/v1', style: 'official' });
    expect(resolveProvider('kling-beijing').baseUrl).toBe('https://api-beijing.klingai.com');
    expect(resolveProvider({ kind: 'kling', region: 'beijing' }).baseUrl).toBe('https://api-beijing.klingai.com');
    expect(resolveProvider('kiln')).toEqual({ baseUrl: 'http://127.0.0.1:8080', prefix: '/v1', style: 'official' });
  });

  it('builds the reseller paths from the family path', () => {
    const kkiai = resolveProvider({ kind: 'kling-prefix' }, 'https://www.kkiai.com/');
    expect(kkiai.baseUrl).toBe('https://www.kkiai.com');
    expect(familyPath(kkiai, '/v1/videos/omni-video')).toBe('/kling/v1/videos/omni-video');
    const cloudsway = resolveProvider({ kind: 'ai-endpoint', endpoint: 'MaaS_KeLing_O3' }, 'https://genaiapi.cloudsway.net');
    expect(familyPath(cloudsway, '/v1/images/omni-image')).toBe('/v1/ai/MaaS_KeLing_O3/kling/images/omni-image');
  });

  it('places the new standard paths (no /v1) by the same style: /kling/…, /v1/ai/{endpoint}/kling/videos/…', () => {
    const at = (r: ReturnType<typeof resolveProvider>, path: string) => newStandardPath(r.style, path, r.endpoint);
    expect(at(resolveProvider('kling'), '/tasks')).toBe('/tasks');
    expect(at(resolveProvider({ kind: 'kling-prefix' }, 'https://www.kkiai.com'), '/text-to-video/kling-3.0-turbo')).toBe('/kling/text-to-video/kling-3.0-turbo');
    const cloudsway = resolveProvider({ kind: 'ai-endpoint', endpoint: 'MaaS_KL_3.0_turbo' }, 'https://genaiapi-m2.cloudsway.net');
    expect(at(cloudsway, '/text-to-video/kling-3.0-turbo')).toBe('/v1/ai/MaaS_KL_3.0_turbo/kling/videos/text-to-video/kling-3.0-turbo');
  });

  it('moves the /v1 paths of synchronous endpoints like family paths; /account paths stay as they are', () => {
    const kkiai = resolveProvider({ kind: 'kling-prefix' }, 'https://www.kkiai.com');
    expect(actionPath(kkiai, '/v1/audio/tts')).toBe('/kling/v1/audio/tts');
    expect(actionPath(kkiai, '/account/costs')).toBe('/account/costs');
    expect(actionPath(resolveProvider('kling'), '/v1/videos/identify-face')).toBe('/v1/videos/identify-face');
  });

  it('lets a base URL (with a path) override the host', () => {
    const r = resolveProvider('kling', 'https://gateway.example.com/kling-proxy/');
    expect(r.baseUrl).toBe('https://gateway.example.com/kling-proxy');
    expect(familyPath(r, '/v1/videos/text2video')).toBe('/v1/videos/text2video');
  });

  it('refuses what cannot work', () => {
    expect(() => resolveProvider({ kind: 'kling-prefix' })).toThrow(/needs a baseUrl/);
    expect(() => resolveProvider({ kind: 'ai-endpoint', endpoint: 'a/b' }, 'https://x')).toThrow(/endpoint/);
    expect(() => resolveProvider('kling', 'ftp://x')).toThrow(/http/);
    expect(() => resolveProvider('nope' as never)).toThrow(/unknown provider/);
  });
});
