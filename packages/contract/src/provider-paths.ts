// The path styles under which Kling's API is offered (spec/providers.md §4): the official `/v1`, resellers that put
// it under `/kling/v1`, and resellers that replace `/v1` with `/v1/ai/{endpoint}/kling`. The server serves every
// route under each style; the SDK sends to the one its provider uses. The part after the prefix is the same.

export type PathStyleName = 'official' | 'kling-prefix' | 'ai-endpoint';

export interface PathStyle {
  name: PathStyleName;
  /** What replaces the `/v1` of a documented path; `{endpoint}` is the reseller's endpoint name. */
  prefix: string;
}

export const PROVIDER_PATH_STYLES: readonly PathStyle[] = [
  { name: 'official', prefix: '/v1' },
  { name: 'kling-prefix', prefix: '/kling/v1' },
  { name: 'ai-endpoint', prefix: '/v1/ai/{endpoint}/kling' },
];

/** A style's prefix with its endpoint name filled in (URL-encoded): `/v1/ai/kling-video/kling`. */
export function pathStylePrefix(name: PathStyleName, endpoint = ''): string {
  const style = PROVIDER_PATH_STYLES.find((s) => s.name === name);
  if (!style) throw new TypeError(`unknown path style ${JSON.stringify(name)}`);
  return style.prefix.replace('{endpoint}', encodeURIComponent(endpoint));
}

/** The prefixes as route patterns, the endpoint a path parameter: `/v1/ai/:endpoint/kling`. */
export const ROUTE_PREFIXES: readonly string[] = PROVIDER_PATH_STYLES.map((s) => s.prefix.replace('{endpoint}', ':endpoint'));

/**
 * A documented path under a prefix: `/v1/videos/omni-video` → `/kling/v1/videos/omni-video`. Paths without `/v1`
 * (`/account/costs`) have no documented reseller form and keep their path.
 */
export function pathUnderPrefix(prefix: string, path: string): string {
  return /^\/v1(?=\/)/.test(path) ? prefix + path.slice(3) : path;
}

/** Every path a documented path is served under, one per style (one path when it has no `/v1`). */
export function servedPaths(path: string): string[] {
  return /^\/v1(?=\/)/.test(path) ? ROUTE_PREFIXES.map((prefix) => pathUnderPrefix(prefix, path)) : [path];
}

/**
 * The same styles for the new standard, whose documented paths have no `/v1` (`/text-to-video/kling-3.0-turbo`,
 * `/tasks`): resellers of the `/kling/v1` style put them under `/kling`, and Cloudsway's `genaiapi-m2` host under
 * `/v1/ai/{endpoint}/kling/videos` (new-standard.md §8, with the extra `/videos/`). Cloudsway's query path is not
 * documented; kiln serves `/tasks` under the same prefix as the creates.
 */
export const NEW_STANDARD_PREFIXES: Readonly<Record<PathStyleName, string>> = {
  official: '',
  'kling-prefix': '/kling',
  'ai-endpoint': '/v1/ai/{endpoint}/kling/videos',
};

/** A new-standard path under a style: `/text-to-video/kling-3.0` → `/v1/ai/kling-video/kling/videos/text-to-video/kling-3.0`. */
export function newStandardPath(name: PathStyleName, path: string, endpoint = ''): string {
  return NEW_STANDARD_PREFIXES[name].replace('{endpoint}', encodeURIComponent(endpoint)) + path;
}

/** Every route a new-standard path is served under, the endpoint a path parameter. */
export function newStandardServedPaths(path: string): string[] {
  return Object.values(NEW_STANDARD_PREFIXES).map((prefix) => prefix.replace('{endpoint}', ':endpoint') + path);
}
