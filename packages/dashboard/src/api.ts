// Talks to kiln from the browser: same origin, the session cookie (never a credential in script or storage), the
// console's CSRF header on every change, and Kling's envelope unwrapped into data or an ApiError.

import { CONSOLE_CSRF_HEADER } from '@kiln/contract';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: number, message: string) {
    super(message);
  }
}

/** Called when kiln says the session is gone (signed out elsewhere, expired, key revoked). */
let onSignedOut: () => void = () => {};
export const whenSignedOut = (handler: () => void) => { onSignedOut = handler; };

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; etag: string | null; data?: T }> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    // The list polls with its own If-None-Match: the browser's cache must not answer for kiln.
    cache: 'no-store',
    headers: {
      ...headers,
      ...(method === 'GET' ? {} : { [CONSOLE_CSRF_HEADER]: '1' }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 304) return { status: 304, etag: res.headers.get('etag') };
  const text = await res.text();
  let json: { code?: number; message?: string; data?: T } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(res.status, -1, `kiln answered HTTP ${res.status} without JSON`);
  }
  if (!res.ok || json?.code !== 0) {
    const error = new ApiError(res.status, json?.code ?? -1, json?.message ?? `HTTP ${res.status}`);
    if (res.status === 401 && path !== '/console/session') onSignedOut();
    throw error;
  }
  return { status: res.status, etag: res.headers.get('etag'), data: json.data as T };
}

export const get = async <T>(path: string) => (await call<T>('GET', path)).data as T;
export const post = async <T>(path: string, body: unknown = {}) => (await call<T>('POST', path, body)).data as T;
export const put = async <T>(path: string, body: unknown) => (await call<T>('PUT', path, body)).data as T;
export const patch = async <T>(path: string, body: unknown) => (await call<T>('PATCH', path, body)).data as T;
export const del = async <T>(path: string) => (await call<T>('DELETE', path)).data as T;

/** A GET that answers undefined when the resource has not changed since the ETag given. */
export async function getIfChanged<T>(path: string, etag: string | null): Promise<{ etag: string | null; data?: T }> {
  const res = await call<T>('GET', path, undefined, etag ? { 'if-none-match': etag } : {});
  return res.status === 304 ? { etag } : { etag: res.etag, data: res.data };
}

/** Query strings from an object, leaving out empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
