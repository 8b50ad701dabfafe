// The shape of an endpoint family: one definition per family in families/, from which the server registers its
// routes and validates, the simulator knows what to render, the SDK gets its methods and openapi.json is made.

import type { Static, TObject } from '@sinclair/typebox';
import type { OutputPlan } from './plan.ts';
import type { AnyOutputPlan } from './plan-more.ts';
import type { References } from './action.ts';
import type { PageBounds } from './pagination.ts';

/** Resource-pack types: concurrency pools and billing are counted per type (spec §1.8). */
export type PackType = 'video' | 'image' | 'try-on';

/** SDK groups: `client.videos`, `client.images`, `client.audio`, `client.general`. */
export type FamilyGroup = 'videos' | 'images' | 'audio' | 'general';

/** Lists of a task's `task_result` that hold its outputs. */
export type ResultKind = 'videos' | 'images' | 'audios' | 'voices' | 'elements';
/** Where a family lists its outputs: one list, or several (video-to-audio: videos and audios). */
export type ResultLists = ResultKind | readonly ResultKind[];
/** The lists of plain video and image families: a family's `result` unless it says otherwise. */
export type MediaResult = 'videos' | 'images';

/**
 * The model of a family whose request has no `model_name` (effects, audio, voices, ...): such a family lists this one
 * entry, and a stray `model_name` in the body is ignored (validate.ts).
 */
export const NO_MODEL = 'default';

/** What the engine measured once the outputs exist, for families whose length follows an input (spec §1.10). */
export interface Measured {
  /** Length of the produced video or audio, seconds. */
  seconds: number;
}

/** A cross-field rule: `check` returns the 1201 message when the request breaks it. */
export interface Rule<Req, Model> {
  id: string;
  /** What the rule demands, in words (listed in the docs and openapi.json). */
  text: string;
  // Method syntax on purpose: a family's rules must fit the erased AnyFamily shape.
  check(req: Req, model: Model): string | undefined;
}

// `P` is the kind of plan the family makes (plain videos and images, `OutputPlan`, by default; the kinds of
// plan-more.ts for audio, voices, elements, edits ...) and `R` where its results are listed.
export interface FamilyDefinition<
  S extends TObject = TObject,
  Model = unknown,
  P extends AnyOutputPlan = OutputPlan,
  R extends ResultLists = MediaResult,
> {
  /** Family name as in the path, e.g. `omni-video` (new-standard endpoints: `text-to-video/kling-3.0-turbo`). */
  name: string;
  /**
   * The API design the definition belongs to: legacy `/v1` (model in the body; the default) or the new standard
   * (model in the path, new-standard/endpoint.ts). A task answers in the shape of the standard that created it.
   */
  standard?: 'legacy' | 'new';
  group: FamilyGroup;
  title: string;
  /** Create = POST path, query = GET path/{id}, list = GET path?pageNum&pageSize. */
  path: string;
  pack: PackType;
  request: S;
  /** Model used when `model_name` is absent or empty; `models` lists every accepted one (`NO_MODEL` alone without `model_name`). */
  defaultModel: string;
  models: Record<string, Model>;
  rules: Rule<Static<S>, Model>[];
  /** Where results are listed in the query's `task_result` (video-to-audio: both videos and audios). */
  result: R;
  /** List bounds when they differ from the default [1,1000]/[1,500] (custom voices: pageSize up to 1000). */
  pageBounds?: PageBounds;
  /** Stored data the request names (videos, audios, sessions, ...): checked by the server, not by the schema. */
  references?: References<Static<S>>;
  /** Concurrency slots the task holds while it runs. */
  slots(req: Static<S>): number;
  /**
   * Units billed when the task succeeds (spec §1.10). Families whose output length follows an input (motion control,
   * avatar) give a provisional figure without `measured` and the exact one with it.
   */
  units(req: Static<S>, measured?: Measured): number;
  plan(req: Static<S>): P;
}

/** Any family, whatever kind of plan it makes (validation and tests accept every family). */
export type AnyPlannedFamily = FamilyDefinition<TObject, any, AnyOutputPlan, ResultLists>;
// The definition is stored with its request type erased so families of different shapes fit in one list; the
// simulator dispatches on the plan's kind, so a served family may make any kind of plan.
export type AnyFamily = AnyPlannedFamily;

export function defineFamily<S extends TObject, Model, P extends AnyOutputPlan = OutputPlan, R extends ResultLists = MediaResult>(
  definition: FamilyDefinition<S, Model, P, R>,
): FamilyDefinition<S, Model, P, R> {
  return definition;
}

/** The request body a family accepts, as a client writes it. */
export type RequestOf<F> = F extends FamilyDefinition<infer S, any, any, any> ? Static<S> : never;
