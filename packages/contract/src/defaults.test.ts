// fillDefaults must leave every request exactly as TypeBox's Value.Default would: checked on every family's,
// endpoint's and action's documented example, on an empty body, and on the example with each field taken out.

import { Value } from '@sinclair/typebox/value';
import type { TObject } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { actions } from './actions/index.ts';
import { fillDefaults } from './defaults.ts';
import { families } from './families/index.ts';
import { newStandardEndpoints } from './new-standard/index.ts';
import { DOCUMENTED_EXAMPLES } from './testing/documented-examples.ts';
import { NEW_STANDARD_EXAMPLES } from './testing/new-standard-examples.ts';

function bodiesFrom(example: Record<string, unknown> | undefined): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [{}];
  if (!example) return bodies;
  bodies.push(example);
  for (const key of Object.keys(example)) {
    const { [key]: _left, ...rest } = example;
    bodies.push(rest);
  }
  return bodies;
}

function expectSameAsTypeBox(name: string, schema: TObject, bodies: Record<string, unknown>[]) {
  for (const body of bodies) {
    const ours = structuredClone(body);
    fillDefaults(schema, ours);
    const theirs = Value.Default(schema, structuredClone(body));
    expect(ours, `${name}: ${JSON.stringify(body)}`).toEqual(theirs);
  }
}

describe('fillDefaults', () => {
  it('fills what Value.Default fills, for every family', () => {
    for (const family of families) expectSameAsTypeBox(family.name, family.request, bodiesFrom(DOCUMENTED_EXAMPLES[family.name]));
  });

  it('fills what Value.Default fills, for every new-standard endpoint', () => {
    for (const endpoint of newStandardEndpoints) {
      expectSameAsTypeBox(endpoint.name, endpoint.request as TObject, bodiesFrom(NEW_STANDARD_EXAMPLES[endpoint.name]));
    }
  });

  it('fills what Value.Default fills, for every action', () => {
    for (const action of actions) expectSameAsTypeBox(action.name, action.request as TObject, bodiesFrom(undefined));
  });

  it('fills a missing default and keeps a given value', () => {
    const family = families.find((f) => f.name === 'text2video')!;
    const body: Record<string, unknown> = { prompt: 'a fox', mode: 'pro' };
    fillDefaults(family.request, body);
    expect(body.mode).toBe('pro');
    expect(Object.keys(body).length).toBeGreaterThan(2);
  });
});
