import { describe, expect, it } from 'vitest';
import { cloneJson } from './clone-json.ts';

describe('cloneJson', () => {
  it('copies objects and arrays, so changes to the copy leave the original alone', () => {
    const original = { a: [1, { b: 'x' }], c: { d: null, e: true } };
    const copy = cloneJson(original);
    expect(copy).toEqual(original);
    (copy.a[1] as any).b = 'changed';
    delete (copy.c as any).d;
    expect(original).toEqual({ a: [1, { b: 'x' }], c: { d: null, e: true } });
  });

  it('keeps a "__proto__" key as a plain key, never as the prototype', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"a":1}');
    const copy = cloneJson(parsed);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as any).polluted).toBeUndefined();
  });
});
