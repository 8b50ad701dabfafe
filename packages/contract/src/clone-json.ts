// A copy of a parsed JSON value that validation may change (defaults, dropped fields) without touching the caller's.
// Objects and arrays are copied; strings are shared, not copied: strings are immutable, and a create may carry tens
// of MB of Base64 that structuredClone would duplicate for every request.

export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  // defineProperty, not assignment: a `__proto__` key in the input stays a plain key, as JSON.parse made it.
  for (const [key, child] of Object.entries(value)) {
    Object.defineProperty(out, key, { value: cloneJson(child), enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}
