// Where requests go. A provider is a host plus a path prefix (spec/providers.md §4); the suffix after the prefix
// (`/videos/omni-video`, `/{id}`) is the same everywhere.
//   official Kling   https://api-singapore.klingai.com   /v1/videos/omni-video
//   `/kling/v1` resellers (e.g. kkiai)                   /kling/v1/videos/omni-video
//   `/v1/ai/{endpoint}/kling` resellers (e.g. Cloudsway) /v1/ai/{endpoint}/kling/videos/omni-video
//   kiln             http://127.0.0.1:8080               /v1/videos/omni-video

import { pathStylePrefix, pathUnderPrefix, type PathStyleName } from '@kiln/contract';

export const KLING_SINGAPORE_URL = 'https://api-singapore.klingai.com';
export const KLING_BEIJING_URL = 'https://api-beijing.klingai.com';
export const KILN_LOCAL_URL = 'http://127.0.0.1:8080';

export type ProviderName = 'kling' | 'kling-beijing' | 'kiln';

export type ProviderSpec =
  | { kind: 'kling'; region?: 'singapore' | 'beijing' }
  | { kind: 'kiln' }
  /** Resellers that put Kling's paths under `/kling`: `/kling/v1/videos/…`. Needs `baseUrl`. */
  | { kind: 'kling-prefix' }
  /** Resellers that replace `/v1` with `/v1/ai/{endpoint}/kling`. Needs `baseUrl`. */
  | { kind: 'ai-endpoint'; endpoint: string };

export type Provider = ProviderName | ProviderSpec;

export interface ResolvedProvider {
  /** Origin (and any path the caller put in the base URL), without a trailing slash. */
  baseUrl: string;
  /** What replaces the `/v1` of a family path. */
  prefix: string;
  /** The path style, which also places the new standard's paths (`/tasks`, `/text-to-video/…`): contract newStandardPath. */
  style: PathStyleName;
  /** The reseller's endpoint name of the `ai-endpoint` style. */
  endpoint?: string;
}

function spec(provider: Provider): ProviderSpec {
  if (provider === 'kling') return { kind: 'kling', region: 'singapore' };
  if (provider === 'kling-beijing') return { kind: 'kling', region: 'beijing' };
  if (provider === 'kiln') return { kind: 'kiln' };
  if (typeof provider === 'object' && provider !== null) return provider;
  throw new TypeError(`unknown provider ${JSON.stringify(provider)}; use 'kling', 'kling-beijing', 'kiln' or a provider object`);
}

export function resolveProvider(provider: Provider = 'kling', baseUrl?: string): ResolvedProvider {
  const p = spec(provider);
  let host: string | undefined;
  let prefix = pathStylePrefix('official');
  let style: PathStyleName = 'official';
  switch (p.kind) {
    case 'kling':
      host = p.region === 'beijing' ? KLING_BEIJING_URL : KLING_SINGAPORE_URL;
      break;
    case 'kiln':
      host = KILN_LOCAL_URL;
      break;
    case 'kling-prefix':
      prefix = pathStylePrefix('kling-prefix');
      style = 'kling-prefix';
      break;
    case 'ai-endpoint':
      if (!p.endpoint || /[/?#]/.test(p.endpoint)) throw new TypeError('provider ai-endpoint needs an endpoint name (no slashes)');
      prefix = pathStylePrefix('ai-endpoint', p.endpoint);
      style = 'ai-endpoint';
      break;
    default:
      throw new TypeError(`unknown provider kind ${JSON.stringify((p as { kind: unknown }).kind)}`);
  }
  const base = baseUrl ?? host;
  if (!base) throw new TypeError(`provider '${p.kind}' needs a baseUrl (the reseller's host)`);
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new TypeError(`baseUrl is not a URL: ${base}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`baseUrl must be http(s): ${base}`);
  return { baseUrl: `${url.origin}${url.pathname}`.replace(/\/+$/, ''), prefix, style, ...(p.kind === 'ai-endpoint' ? { endpoint: p.endpoint } : {}) };
}

/** The collection path of a family at a provider: `/v1/videos/omni-video` → `/kling/v1/videos/omni-video`. */
export function familyPath(resolved: ResolvedProvider, familyPath: string): string {
  return pathUnderPrefix(resolved.prefix, familyPath);
}

/**
 * The path of a synchronous endpoint at a provider. `/v1/...` paths move like family paths; the account endpoints
 * (`/account/costs`) have no `/v1` to replace and no documented reseller form, so they keep their path, as kiln
 * serves them.
 */
export function actionPath(resolved: ResolvedProvider, path: string): string {
  return path.startsWith('/v1/') ? familyPath(resolved, path) : path;
}
