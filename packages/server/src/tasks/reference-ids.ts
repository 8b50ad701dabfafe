// Where a reference's ids are in a request body: `video_id` at the top, `input.video_id` in an object, or `face_choose[].audio_id` in every item of
// an array, each with the field as error messages name it (`face_choose[1].audio_id`) and the object holding it, whose
// other fields (sound_end_time, ...) some checks read. And what every check of an id is given.

import { given, type InputReference } from '@kiln/contract';
import type { Db } from '../store/open.ts';

/** Whose request it is, and when it is checked. */
export interface ReferenceContext {
  db: Db;
  tenantId: string;
  now: number;
}

export interface NamedId {
  field: string;
  id: string;
  /** The object the id is a field of: the body, or the array item. */
  item: Record<string, unknown>;
  /** The id's key in `item`. */
  key: string;
}

/** Ids that are present and not empty. Element ids may be JSON numbers (small ones; long ones arrive as strings). */
export function idsAt(body: Record<string, unknown>, ref: InputReference): NamedId[] {
  const [head, ...rest] = ref.field.split('[].');
  if (rest.length === 0) {
    // A field of the body, or of an object in it (old lip-sync: `input.video_id`).
    const path = head.split('.');
    const item = path.slice(0, -1).reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), body);
    if (!item || typeof item !== 'object') return [];
    const key = path[path.length - 1];
    const id = idOf((item as Record<string, unknown>)[key]);
    return id === undefined ? [] : [{ field: head, id, item: item as Record<string, unknown>, key }];
  }
  const key = rest.join('[].');
  const items = body[head];
  if (!Array.isArray(items)) return [];
  return items.flatMap((item, i) => {
    if (!item || typeof item !== 'object') return [];
    const id = idOf((item as Record<string, unknown>)[key]);
    return id === undefined ? [] : [{ field: `${head}[${i}].${key}`, id, item: item as Record<string, unknown>, key }];
  });
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return typeof value === 'string' && given(value) ? value : undefined;
}

/** `face_choose[0].audio_id` and `sound_end_time` → `face_choose[0].sound_end_time`. */
export function siblingField(field: string, sibling: string): string {
  const dot = field.lastIndexOf('.');
  return dot < 0 ? sibling : `${field.slice(0, dot + 1)}${sibling}`;
}
