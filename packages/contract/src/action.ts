// Synchronous endpoints as data (multi-elements selections, identify-face, image-recognize, TTS, deletes, preset
// lists, the old elements API, account costs and deduction details): what each accepts and answers, validated the
// way task families are, and the stored data a request names (`references`) for the server to check generically.

import type { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { KlingError } from './errors.ts';
import { cloneJson } from './clone-json.ts';
import type { Rule } from './family.ts';
import type { AnyOutputPlan } from './plan-more.ts';
import { describeSchemaError } from './validate.ts';
import { dropUnsetFields } from './unset-fields.ts';
import { fillDefaults } from './defaults.ts';

/** Seconds, inclusive: `[2, 60]`. */
export type SecondsRange = readonly [number, number];

/**
 * Something a request names that only stored data can confirm: that it exists, is the caller's (another tenant's is
 * reported as not existing), is young enough, lasts long enough. The server applies these generically, to each field
 * that is present and not empty; checks that the body alone can answer (xor pairs, ranges) are rules.
 */
export interface InputReference {
  /** The field, as in error messages; `[]` stands for every item: `face_choose[].audio_id`. */
  field: string;
  /**
   * video / audio: an id of a stored output (a TTS audio for `audio`); voice / element: a preset or one of the
   * caller's custom voices / elements (an element id may be a JSON number); session: an editing session
   * (multi-elements, identify-face); face: a face of that session; video-url / audio-file: media read from a URL or
   * Base64, probed when the task runs.
   */
  kind: 'video' | 'audio' | 'voice' | 'element' | 'session' | 'face' | 'video-url' | 'audio-file';
  /** Older outputs are gone (Kling deletes them after 30 days; sessions live 24 h = 1 day). */
  maxAgeDays?: number;
  /** The media's length must be within the range, or within one of the ranges. */
  seconds?: SecondsRange | readonly SecondsRange[];
  /** Only outputs of these families / models. */
  families?: readonly string[];
  models?: readonly string[];
  /** Only the caller's own (custom) voices or elements, not Kling's presets. */
  customOnly?: boolean;
  /**
   * For an element: the kinds accepted, when not both (presets are all multi-image), and the rule in words for the
   * message: `kling-video-o1 takes multi-image elements (image_refer) only`.
   */
  elementKinds?: { only: readonly ElementKind[]; rule: string };
  /** For a session: the kind of session, by the call that opens it (init-selection opens 'multi-elements'). */
  sessionKind?: 'identify-face' | 'multi-elements';
  /** Completes the length message when the range depends on another field: `for duration '10'`. */
  secondsRule?: string;
  /** For a face: the field holding its session. */
  session?: string;
  /**
   * For a face: fields of the same item, in ms, placing a sound on the session's video: the part from `start` to `end`
   * is inserted at `insert`; it must lie within the video and overlap the face's interval by `minOverlapMs`.
   */
  clip?: { start: string; end: string; insert: string; minOverlapMs: number };
  /** For an audio: a field of the same item, in ms, where the part used ends; it must not pass the audio's end. */
  endsBy?: string;
  /** Further demands in words, checked where the server can. */
  note?: string;
}

/** Elements made from images (multi-image) or from a video of a person (video character). */
export type ElementKind = 'image_refer' | 'video_refer';

/**
 * References are data, or data computed from the request when a limit depends on another field. (The function is
 * declared as a method so a definition still fits the erased AnyFamily/AnyAction shapes.)
 */
export type References<Req> = readonly InputReference[] | { of(req: Req): readonly InputReference[] }['of'];

export function referencesOf<Req>(references: References<Req> | undefined, req: Req): readonly InputReference[] {
  if (!references) return [];
  return typeof references === 'function' ? references(req) : references;
}

export interface ActionDefinition<S extends TObject = TObject> {
  /** As in the path: `identify-face`, `multi-elements/add-selection`. */
  name: string;
  group: 'videos' | 'audio' | 'general' | 'account';
  title: string;
  method: 'GET' | 'POST';
  path: string;
  /** The JSON body (POST) or the query parameters (GET; numeric strings are read as numbers). */
  request: S;
  rules: readonly Rule<Static<S>, undefined>[];
  references?: References<Static<S>>;
  description: string;
  /** The answer's `data`, in short. */
  response: string;
  /** Units billed per successful call (spec §1.10); free when absent. */
  units?(req: Static<S>): number;
  /** What the call renders before it answers (TTS). */
  plan?(req: Static<S>): AnyOutputPlan;
}

export type AnyAction = ActionDefinition<any>;

export function defineAction<S extends TObject>(definition: ActionDefinition<S>): ActionDefinition<S> {
  return definition;
}

/**
 * Validates a call: schema (with defaults), then rules. A GET's query arrives as strings (a repeated parameter as
 * several): the last value counts and numbers are read from their text first, as for task lists.
 */
export function validateAction<S extends TObject>(action: ActionDefinition<S>, input: unknown): Static<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new KlingError(1200, action.method === 'GET' ? 'invalid query parameters' : 'request body must be a JSON object');
  }
  let body: Record<string, any> = cloneJson(input as Record<string, any>) as Record<string, any>;
  if (action.method === 'GET') {
    for (const [key, value] of Object.entries(body)) if (Array.isArray(value)) body[key] = value[value.length - 1];
  }
  // null or "" in an optional field means "not given" (unset-fields.ts); before conversion, which would read
  // `?pageNum=` as 0.
  dropUnsetFields(action.request, body);
  if (action.method === 'GET') body = Value.Convert(action.request, body) as Record<string, any>;
  fillDefaults(action.request, body);
  if (!Value.Check(action.request, body)) {
    const first = Value.Errors(action.request, body).First();
    throw new KlingError(1201, first ? describeSchemaError(first) : 'invalid request');
  }
  for (const rule of action.rules) {
    const broken = rule.check(body as Static<S>, undefined);
    if (broken) throw new KlingError(1201, broken);
  }
  return body as Static<S>;
}
