// The shape of a new-standard endpoint (spec new-standard.md §1.3): one product × model pair, the model in the path
// (`POST /text-to-video/kling-3.0-turbo`), the body `prompt` or `contents[]` plus `settings` and `options`. An
// endpoint is a family definition underneath (schema, rules, plan, units, references), so a task it creates is the
// same kiln task as a legacy one: one store, one engine, one billing. What differs is the wire format, which the
// server picks from `standard`.

import type { Static, TObject } from '@sinclair/typebox';
import type { FamilyDefinition } from '../family.ts';
import type { AnyOutputPlan } from '../plan-more.ts';
import type { ElementKind } from '../action.ts';
import type { ElementNameRule } from './element-names.ts';

export type NewStandardProduct = 'text-to-video' | 'image-to-video' | 'omni-video' | 'motion-control';

/** Every `contents[].type` the new standard knows (spec §2, §3). */
export const CONTENT_TYPES = [
  'prompt', 'first_frame', 'last_frame', 'refer_image', 'feature_video', 'base_video', 'element', 'voice', 'image', 'video',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export type NewStandardResolution = '720p' | '1080p' | '4k';
export type NewStandardAudio = 'native' | 'original' | 'off';

/** What one model offers on one product: the data its schema, rules, plan and price are made from. */
export interface NewStandardModel {
  /** Longest prompt (the `prompt` field or the `prompt` item's `text`), characters. */
  promptMax: number;
  resolutions: readonly NewStandardResolution[];
  /** Allowed `settings.duration` values, seconds; absent where the output follows an input (motion control). */
  durations?: readonly number[];
  /** `settings.audio` values with the default first; absent when the model has no such field. */
  audio?: readonly NewStandardAudio[];
  /** kling-3.0-turbo: native audio is always on, with no field to turn it off (spec §3.1, LIVE). */
  alwaysAudio?: boolean;
  /** 'syntax': the multi-shot prompt syntax alone drives shots (3.0-turbo); 'setting': `settings.multi_shot`. */
  multiShot?: 'syntax' | 'setting';
  aspectRatio: boolean;
  /** The `contents[].type` values the endpoint takes (empty for text-to-video, whose body has `prompt`). */
  contentTypes: readonly ContentType[];
}

export interface NewStandardFields {
  standard: 'new';
  product: NewStandardProduct;
  /** The model id in the path: `kling-3.0-turbo`. */
  modelId: string;
  /** Other path ids the endpoint answers to (the legacy name `kling-v3-omni` was seen accepted live, spec §1.3). */
  aliases: readonly string[];
  capability: NewStandardModel;
  /**
   * The element-kind mix a request may use (3.0 Omni's table, spec §3.3 rule 6): given the kinds of its elements in
   * order, the 1201 message when the mix is not allowed. Kinds are known only from stored elements, so the server
   * calls this after it has looked each element up.
   */
  elementMix?(req: Record<string, any>, kinds: readonly ElementKind[]): string | undefined;
  /**
   * On endpoints that take element items: `@Name` references in the prompt name the caller's elements (§2.5). The
   * names are known only from the store, so the server calls this at create with the caller's element names.
   */
  elementNames?: ElementNameRule;
}

export type NewStandardEndpoint<S extends TObject = TObject, P extends AnyOutputPlan = AnyOutputPlan> =
  FamilyDefinition<S, NewStandardModel, P, 'videos'> & NewStandardFields;

export type AnyNewStandardEndpoint = NewStandardEndpoint<TObject, AnyOutputPlan>;

/** Whether a family definition is a new-standard endpoint (its tasks answer in the new-standard shape). */
export function isNewStandard(family: { standard?: string }): family is AnyNewStandardEndpoint {
  return family.standard === 'new';
}

export type NewStandardRequest<E> = E extends NewStandardEndpoint<infer S, any> ? Static<S> : never;
