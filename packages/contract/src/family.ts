// The shape of an endpoint family: one definition per family in families/, from which the server registers its
// routes and validates, the simulator knows what to render, the SDK gets its methods and openapi.json is made.

import type { Static, TObject } from '@sinclair/typebox';
import type { OutputPlan } from './plan.ts';

/** Resource-pack types: concurrency pools and billing are counted per type (spec §1.8). */
export type PackType = 'video' | 'image' | 'try-on';

/** A cross-field rule: `check` returns the 1201 message when the request breaks it. */
export interface Rule<Req, Model> {
  id: string;
  /** What the rule demands, in words (listed in the docs and openapi.json). */
  text: string;
  // Method syntax on purpose: a family's rules must fit the erased AnyFamily shape.
  check(req: Req, model: Model): string | undefined;
}

export interface FamilyDefinition<S extends TObject = TObject, Model = unknown> {
  /** Family name as in the path, e.g. `omni-video`. */
  name: string;
  group: 'videos' | 'images';
  title: string;
  /** Create = POST path, query = GET path/{id}, list = GET path?pageNum&pageSize. */
  path: string;
  pack: PackType;
  request: S;
  /** Model used when `model_name` is absent or empty; `models` lists every accepted one. */
  defaultModel: string;
  models: Record<string, Model>;
  rules: Rule<Static<S>, Model>[];
  /** Where results are listed in the query's `task_result`. */
  result: 'videos' | 'images';
  /** Concurrency slots the task holds while it runs. */
  slots(req: Static<S>): number;
  /** Units billed when the task succeeds (spec §1.10). */
  units(req: Static<S>): number;
  plan(req: Static<S>): OutputPlan;
}

// The definition is stored with its request type erased so families of different shapes fit in one list.
export type AnyFamily = FamilyDefinition<TObject, any>;

export function defineFamily<S extends TObject, Model>(definition: FamilyDefinition<S, Model>): FamilyDefinition<S, Model> {
  return definition;
}

/** The request body a family accepts, as a client writes it. */
export type RequestOf<F> = F extends FamilyDefinition<infer S, any> ? Static<S> : never;
