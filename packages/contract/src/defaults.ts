// A request's defaults, filled in as TypeBox's Value.Default fills them, at a fraction of its cost. Value.Default
// visits every field of the schema, present or not, twice, and tries each member of every union against the value:
// on a create that was a twentieth of the server's time. A field whose schema holds no `default` anywhere is left
// as it is by Value.Default (up to a structurally equal copy), so only the fields whose schemas hold one are visited.

import type { TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** The top-level fields worth visiting, or 'whole' when the schema itself must be walked (a default on it, refs). */
type Plan = string[] | 'whole';

const plans = new WeakMap<TObject, Plan>();

export function fillDefaults(schema: TObject, body: Record<string, unknown>): void {
  let plan = plans.get(schema);
  if (!plan) plans.set(schema, (plan = planFor(schema)));
  if (plan === 'whole') {
    Value.Default(schema, body);
    return;
  }
  for (const key of plan) {
    const value = Value.Default(schema.properties[key], body[key]);
    if (value !== undefined) body[key] = value;
  }
}

function planFor(schema: TObject): Plan {
  const own = schema as Record<string, unknown>;
  if ('default' in own || holdsDefault(own.additionalProperties) || mentionsRefs(schema)) return 'whole';
  return Object.keys(schema.properties).filter((key) => holdsDefault(schema.properties[key]));
}

/**
 * Whether a `default` key appears anywhere in a schema. A field that happens to be named `default` counts too: that
 * errs towards visiting, which is always correct.
 */
function holdsDefault(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  if (Array.isArray(schema)) return schema.some(holdsDefault);
  return Object.entries(schema).some(([key, value]) => key === 'default' || holdsDefault(value));
}

/** Schemas with references are resolved against the whole; they are left to Value.Default entirely. */
function mentionsRefs(schema: TSchema): boolean {
  return /"\$(ref|id)"/.test(JSON.stringify(schema));
}
