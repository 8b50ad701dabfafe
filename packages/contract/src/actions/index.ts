// Every synchronous endpoint kiln serves besides the task families (action.ts): the server registers one route per
// action (under the same prefixes as the families), openapi.json and the docs list them, and the SDK and CLI take
// their method and command names from `actionGroups`, as they do for families from `familyGroups`. Adding an action
// is adding its definition and one line here.

import type { AnyAction } from '../action.ts';
import { addSelection, clearSelection, deleteSelection, initSelection, previewSelection } from './multi-elements.ts';
import { identifyFace, imageRecognize } from './videos.ts';
import { tts } from './tts.ts';
import {
  accountCosts, advancedPresetsElements, deleteAdvancedElements, deleteElements, deleteVoices, presetsVoices,
} from './general.ts';
import { customElements, listCustomElements, presetsElements } from './legacy-elements.ts';
import { billingBalance, billingPackage } from './billing.ts';

/**
 * Actions by group and SDK method name: `client.videos.identifyFace`, `client.account.costs`. The multi-elements
 * steps keep a `multiElements` prefix so they sit beside the multi-elements task family (`client.videos.multiElements`)
 * without taking its name; no key may equal a family's key in the same group (contract test).
 */
export const actionGroups = {
  videos: {
    multiElementsInitSelection: initSelection,
    multiElementsAddSelection: addSelection,
    multiElementsDeleteSelection: deleteSelection,
    multiElementsClearSelection: clearSelection,
    multiElementsPreviewSelection: previewSelection,
    identifyFace,
    imageRecognize,
  },
  audio: { tts },
  general: {
    deleteVoices,
    deleteElements,
    deleteAdvancedElements,
    presetsVoices,
    advancedPresetsElements,
    createCustomElement: customElements,
    listCustomElements,
    presetsElements,
  },
  account: { costs: accountCosts, billingPackage, billingBalance },
} as const;

export const actions: readonly AnyAction[] = Object.values(actionGroups).flatMap((group) => Object.values(group) as AnyAction[]);

export const actionByPath = (method: string, path: string) =>
  actions.find((a) => a.method === method.toUpperCase() && a.path === path);
