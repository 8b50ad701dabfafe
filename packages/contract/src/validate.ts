// Validation of a create request against its family: schema (types, enums, lengths, defaults), then the model,
// then the cross-field rules. Every failure is a KlingError naming the field and the rule it broke.

import { Value } from '@sinclair/typebox/value';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TObject } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { KlingError } from './errors.ts';
import { cloneJson } from './clone-json.ts';
import type { AnyPlannedFamily } from './family.ts';
import { dropUnsetFields } from './unset-fields.ts';
import { isNewStandard } from './new-standard/endpoint.ts';
import { validateNewStandard } from './new-standard/validate.ts';
import { fillDefaults } from './defaults.ts';

export interface ValidRequest {
  /** The request with defaults applied and `model_name` resolved. */
  body: Record<string, any>;
  model: string;
}

export function validateCreate(family: AnyPlannedFamily, input: unknown): ValidRequest {
  // A new-standard endpoint has its own body shape and live messages (new-standard/validate.ts).
  if (isNewStandard(family)) return validateNewStandard(family, input);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new KlingError(1200, 'request body must be a JSON object');
  }
  const body: Record<string, any> = cloneJson(input as Record<string, any>);
  // null or "" in an optional field means "not given" (unset-fields.ts): an empty model_name is the family's
  // default model, as every family's model_name is optional (spec §1.4: the legacy `model` field is ignored).
  dropUnsetFields(family.request, body);
  // A family without `model_name` (effects, audio, voices, ...) has one model: a stray model_name is ignored, not a
  // 1203, as Kling ignores unknown keys (resellers add model_name to every body).
  if (!('model_name' in family.request.properties)) delete body.model_name;
  fillDefaults(family.request, body);

  const check = compiled(family.request);
  if (!check.Check(body)) {
    const first = check.Errors(body).First();
    throw new KlingError(1201, first ? describeSchemaError(first) : 'invalid request body');
  }

  const model = (body.model_name as string | undefined) ?? family.defaultModel;
  if ('model_name' in family.request.properties) body.model_name = model;
  const capability = family.models[model];
  if (capability === undefined) {
    throw new KlingError(
      1203,
      `model_name '${model}' does not exist for ${family.name}; supported: ${Object.keys(family.models).join(', ')}`,
    );
  }
  for (const rule of family.rules) {
    const broken = rule.check(body, capability);
    if (broken) throw new KlingError(1201, broken);
  }
  return { body, model };
}

// Schemas are compiled to checking functions once; compiling uses `new Function`, which some edge runtimes
// forbid, so those fall back to the interpreter.
const checks = new WeakMap<TObject, TypeCheck<TObject> | { Check: (v: unknown) => boolean; Errors: (v: unknown) => ReturnType<typeof Value.Errors> }>();
function compiled(schema: TObject) {
  let check = checks.get(schema);
  if (!check) {
    try {
      check = TypeCompiler.Compile(schema);
    } catch {
      check = { Check: (v) => Value.Check(schema, v), Errors: (v) => Value.Errors(schema, v) };
    }
    checks.set(schema, check);
  }
  return check;
}

/** `/image_list/0/image_url` → `image_list[0].image_url`. */
export function fieldName(pointer: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  return out || 'body';
}

export function describeSchemaError(error: ValueError): string {
  const field = fieldName(error.path);
  const schema = error.schema as Record<string, any>;
  // null reaches here only for a required field (an optional one was dropped as "not given").
  if (error.value === null && error.type !== ValueErrorType.ObjectRequiredProperty) return `${field} must not be null`;
  // A field may carry its rule in words (unions, patterns): that reads better than the generic message.
  if (typeof schema.rule === 'string' && error.type !== ValueErrorType.ObjectRequiredProperty) {
    return `${field}: ${schema.rule}`;
  }
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `${field} is required`;
    case ValueErrorType.String:
      return `${field} must be a string`;
    case ValueErrorType.Boolean:
      return `${field} must be a boolean`;
    case ValueErrorType.Integer:
      return `${field} must be an integer`;
    case ValueErrorType.Number:
      return `${field} must be a number`;
    case ValueErrorType.Object:
      return `${field} must be an object`;
    case ValueErrorType.Array:
      return `${field} must be an array`;
    case ValueErrorType.StringMaxLength:
      return `${field} must be at most ${schema.maxLength} characters`;
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1 ? `${field} must not be empty` : `${field} must be at least ${schema.minLength} characters`;
    case ValueErrorType.ArrayMaxItems:
      return `${field} must have at most ${schema.maxItems} items`;
    case ValueErrorType.ArrayMinItems:
      return `${field} must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`;
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return `${field} must be at most ${schema.maximum}`;
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return `${field} must be at least ${schema.minimum}`;
    case ValueErrorType.Literal:
      return `${field} must be ${JSON.stringify(schema.const)}`;
    case ValueErrorType.Union: {
      const options = (schema.anyOf as any[] | undefined)?.filter((s) => 'const' in s).map((s) => JSON.stringify(s.const));
      return options?.length ? `${field} must be one of ${options.join(', ')}` : `${field} has an invalid value`;
    }
    default:
      return `${field}: ${error.message}`;
  }
}
