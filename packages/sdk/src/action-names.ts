// Where each synchronous endpoint (the contract's actions) lives on the client: the contract's `actionGroups` names
// it, group and key, as `familyGroups` names the families — `client.videos.identifyFace`, `client.audio.tts`,
// `client.account.costs`. A new action appears here with no change to the SDK.

import { actionGroups, type AnyAction } from '@kiln/contract';

export interface ActionEntry {
  action: AnyAction;
  group: AnyAction['group'];
  /** The method's name in its group: `identifyFace`. */
  key: string;
}

/** Every action of the contract with its group and method name, in the contract's order. */
export function actionEntries(): ActionEntry[] {
  return Object.entries(actionGroups).flatMap(([group, members]) =>
    Object.entries(members as Record<string, AnyAction>).map(([key, action]) => ({ action, group: group as AnyAction['group'], key })));
}
