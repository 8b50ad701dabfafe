// Validation of a new-standard create (spec new-standard.md §1.5, §2.1, §7): the body's shape with the messages live
// Kling gives ("contents cannot be empty", "contents[1].type value 'x' is invalid", "settings.resolution value
// '9000p' is invalid", "content item of type 'prompt' must have non-blank text"), then the endpoint's rules. Unknown
// keys anywhere are ignored, as live Kling ignores them.

import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { TObject, TSchema } from '@sinclair/typebox';
import { KlingError } from '../errors.ts';
import { cloneJson } from '../clone-json.ts';
import { dropUnsetFields } from '../unset-fields.ts';
import { describeSchemaError, fieldName, type ValidRequest } from '../validate.ts';
import { contentItemSchema, type ContentLimits } from './body.ts';
import type { AnyNewStandardEndpoint, ContentType } from './endpoint.ts';
import { fillDefaults } from '../defaults.ts';

export function validateNewStandard(endpoint: AnyNewStandardEndpoint, input: unknown): ValidRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new KlingError(1200, 'request body must be a JSON object');
  }
  const body: Record<string, any> = cloneJson(input as Record<string, any>);
  dropUnsetFields(endpoint.request, body);
  if (endpoint.capability.contentTypes.length > 0) checkContents(endpoint, body);
  // Every settings field is optional: a body without `settings` gets the defaults as if `{}` had been sent.
  if (body.settings === undefined) body.settings = {};
  fillDefaults(endpoint.request, body);
  if (!Value.Check(endpoint.request, body)) {
    const first = Value.Errors(endpoint.request, body).First();
    throw new KlingError(1201, first ? describeNewStandardError(first) : 'invalid request body');
  }
  for (const rule of endpoint.rules) {
    const broken = rule.check(body, endpoint.capability);
    if (broken) throw new KlingError(1201, broken);
  }
  return { body, model: endpoint.modelId };
}

/** `contents`: present, an array, each item an object of a type the endpoint takes, with its required fields filled. */
function checkContents(endpoint: AnyNewStandardEndpoint, body: Record<string, any>): void {
  const contents = body.contents;
  if (contents === undefined || (Array.isArray(contents) && contents.length === 0)) throw new KlingError(1201, 'contents cannot be empty');
  if (!Array.isArray(contents)) throw new KlingError(1201, 'contents value type is invalid, expected array');
  const allowed = endpoint.capability.contentTypes;
  const limits = videoLimitsOf(endpoint);
  for (const [i, item] of contents.entries()) {
    const field = `contents[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new KlingError(1201, `${field} value type is invalid, expected object`);
    if (!allowed.includes(item.type)) {
      throw new KlingError(1201, `${field}.type value '${shortValue(item.type)}' is invalid; ${endpoint.path} takes ${allowed.join(', ')}`);
    }
    const type = item.type as ContentType;
    if (type === 'prompt' && (typeof item.text !== 'string' || !item.text.trim())) {
      throw new KlingError(1201, "content item of type 'prompt' must have non-blank text");
    }
    if (['first_frame', 'last_frame', 'refer_image', 'image', 'feature_video', 'base_video', 'video'].includes(type)
      && (typeof item.url !== 'string' || !item.url.trim())) {
      throw new KlingError(1201, `content item of type '${type}' must have a non-blank url`);
    }
    const schema = contentItemSchema(type, endpoint.capability, limits);
    if (!Value.Check(schema, item)) {
      const first = Value.Errors(schema, item).First();
      if (first) throw new KlingError(1201, describeNewStandardError({ ...first, path: `/contents/${i}${first.path}` }));
    }
  }
}

/** The reference-video limits an endpoint's schema was made with (read back from its contents union). */
function videoLimitsOf(endpoint: AnyNewStandardEndpoint): ContentLimits {
  const contents = (endpoint.request as TObject).properties.contents as Record<string, any> | undefined;
  const members: TSchema[] = contents?.items?.anyOf ?? [];
  for (const member of members as Record<string, any>[]) {
    const url = member.properties?.url;
    if (url?.input === 'video') return { video: url.limits };
  }
  return {};
}

const shortValue = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

/** A schema error the way live new-standard answers read: the field path, the value, and what the field takes. */
export function describeNewStandardError(error: ValueError): string {
  const field = fieldName(error.path);
  const detail = describeSchemaError(error);
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `${field} is required`;
    case ValueErrorType.StringMaxLength:
    case ValueErrorType.StringMinLength:
    case ValueErrorType.ArrayMaxItems:
    case ValueErrorType.ArrayMinItems:
      return detail;
  }
  const value = error.value;
  if (typeof value === 'object' && value !== null) {
    const expected = (error.schema as Record<string, any>).type;
    return `${field} value type is invalid${typeof expected === 'string' ? `, expected ${expected}` : ''}`;
  }
  // "settings.resolution: must be one of …" → "settings.resolution value '9000p' is invalid: must be one of …"
  const why = detail.startsWith(`${field}: `) ? detail.slice(field.length + 2) : detail.startsWith(`${field} `) ? detail.slice(field.length + 1) : detail;
  return `${field} value '${shortValue(value)}' is invalid: ${why}`;
}
