// Test helpers for family definitions: accept a body, expect a refusal naming a field, read plan/units/slots.

import { expect } from 'vitest';
import { KlingError } from '../errors.ts';
import type { AnyPlannedFamily } from '../family.ts';
import { validateCreate } from '../validate.ts';

export function familyTester(family: AnyPlannedFamily) {
  const accept = (body: unknown) => validateCreate(family, body);
  function refused(body: unknown, field: string | RegExp, code = 1201): KlingError {
    let error: unknown;
    try {
      validateCreate(family, body);
    } catch (e) {
      error = e;
    }
    expect(error, 'expected the request to be refused').toBeInstanceOf(KlingError);
    const kling = error as KlingError;
    expect(kling.code).toBe(code);
    expect(kling.message).toMatch(field);
    return kling;
  }
  return {
    accept,
    refused,
    // Typed loosely: a test reads the fields of the plan kind its family makes.
    planOf: (body: unknown) => family.plan(accept(body).body as any) as any,
    unitsOf: (body: unknown) => family.units(accept(body).body as any),
    slotsOf: (body: unknown) => family.slots(accept(body).body as any),
  };
}
