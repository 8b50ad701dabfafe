// "Not given", the way Kling's own clients say it. Kling's Python client sends `null` for every optional input it has
// no value for (`"image_tail": null`, `"image_fidelity": null`), and its ComfyUI nodes send `""` for an option nobody
// picked (`"resolution": ""`). Live Kling reads both as absent. This removes such fields before defaults and
// validation, at every depth the schema describes (inside `image_list[]`, `camera_control.config`, `input`, ...), so
// the default applies exactly as if the key had not been sent. One rule for every family and synchronous endpoint,
// in the server and in the SDK's local validation alike.
//
// A *required* field is left as sent: validation then refuses it, saying it must not be null (validate.ts).
// Keys the schema does not describe are left alone (Kling ignores unknown keys).

import type { TSchema } from '@sinclair/typebox';

/** `null` or `""`: what clients send for "no value". */
export const isUnset = (value: unknown): boolean => value === null || value === '';

/** Removes, in place, every optional field of `value` (as `schema` describes it) whose value is `null` or `""`. */
export function dropUnsetFields(schema: TSchema, value: unknown): void {
  dropIn([schema], value);
}

function dropIn(schemas: readonly TSchema[], value: unknown): void {
  if (Array.isArray(value)) {
    const items = variants(schemas).flatMap((s) => (s.type === 'array' && s.items ? [s.items as TSchema] : []));
    if (items.length) for (const item of value) dropIn(items, item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const objects = variants(schemas).filter((s) => s.type === 'object' && s.properties);
  if (!objects.length) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const declaring = objects.filter((s) => Object.hasOwn(s.properties, key));
    if (!declaring.length) continue;
    if (isUnset(record[key])) {
      // Optional wherever the key is declared: a union member that requires it decides for the whole field.
      if (declaring.every((s) => !(s.required as string[] | undefined)?.includes(key))) delete record[key];
      continue;
    }
    dropIn(declaring.map((s) => s.properties[key] as TSchema), record[key]);
  }
}

/** The schemas a value may match: a schema itself, or the members of its union (`anyOf`), flattened. */
function variants(schemas: readonly TSchema[]): Record<string, any>[] {
  return schemas.flatMap((s) => {
    const schema = s as Record<string, any>;
    return Array.isArray(schema.anyOf) ? variants(schema.anyOf) : [schema];
  });
}
