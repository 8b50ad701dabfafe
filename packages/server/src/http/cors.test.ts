import { describe, expect, it } from 'vitest';
import { parseCorsOrigins } from './cors.ts';

describe('KILN_CORS_ORIGINS', () => {
  it('is empty (no CORS) when unset, and takes origins separated by commas or spaces, or *', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins('')).toEqual([]);
    expect(parseCorsOrigins('https://app.example.com, http://localhost:5173 http://127.0.0.1:3000'))
      .toEqual(['https://app.example.com', 'http://localhost:5173', 'http://127.0.0.1:3000']);
    expect(parseCorsOrigins('*')).toEqual(['*']);
  });

  it('refuses what is not an origin, naming the variable and the value', () => {
    for (const bad of ['https://app.example.com/', 'app.example.com', 'https://app.example.com/path', 'ftp://files.example.com']) {
      expect(() => parseCorsOrigins(bad)).toThrow(`KILN_CORS_ORIGINS: '${bad}' is not an origin`);
    }
  });
});
