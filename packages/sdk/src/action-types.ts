// The types of the action methods, each typed from its action's request schema, for every action the contract's
// `actionGroups` lists (the methods themselves are made at run time from the same object, action-names.ts).

import type { Static } from '@sinclair/typebox';
import type { ActionDefinition, actionGroups } from '@kiln/contract';
import type { ActionMethod } from './action-method.ts';

/** The params an action takes: `ActionRequest<typeof tts>`. */
export type ActionRequest<A> = A extends ActionDefinition<infer S> ? Static<S> : never;

type Groups = typeof actionGroups;

/** `client.<group>.<action>` for the contract's actions. */
export type ActionMethods = {
  readonly [G in keyof Groups]: { readonly [K in keyof Groups[G]]: ActionMethod<ActionRequest<Groups[G][K]>> };
};
