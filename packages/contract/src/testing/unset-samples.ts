// For tests of "null and \"\" mean not given": a request with every optional field it leaves out sent as null
// (or ""), derived from the documented fields (the family's or action's schema), at every depth the request reaches.

import type { TSchema } from '@sinclair/typebox';

/** The object schemas a value may match (a union's members, flattened). */
export function objectVariants(schema: TSchema): Record<string, any>[] {
  const s = schema as Record<string, any>;
  if (Array.isArray(s.anyOf)) return s.anyOf.flatMap(objectVariants);
  return s.type === 'object' && s.properties ? [s] : [];
}
export function arrayItems(schema: TSchema): TSchema[] {
  const s = schema as Record<string, any>;
  if (Array.isArray(s.anyOf)) return s.anyOf.flatMap(arrayItems);
  return s.type === 'array' && s.items ? [s.items] : [];
}
export const requiredIn = (variants: Record<string, any>[], key: string) => variants.some((v) => v.required?.includes(key));

/**
 * The example with every optional field the schema documents, and the example does not send, set to `unset`, at
 * every depth the example reaches (objects it sends, items of arrays it sends).
 */
export function withAbsentOptionals(schema: TSchema, value: unknown, unset: null | ''): unknown {
  if (Array.isArray(value)) {
    const items = arrayItems(schema);
    return items.length ? value.map((item) => items.reduce((v, s) => withAbsentOptionals(s, v, unset), item)) : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const variants = objectVariants(schema);
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const variant of variants) {
    for (const [key, child] of Object.entries(variant.properties as Record<string, TSchema>)) {
      if (key in out) out[key] = withAbsentOptionals(child, out[key], unset);
      else if (!requiredIn(variants, key)) out[key] = unset;
    }
  }
  return out;
}

