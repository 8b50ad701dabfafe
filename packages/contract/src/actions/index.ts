// Every synchronous endpoint kiln serves besides the task families (action.ts): the server registers one route per
// action (under the same prefixes as the families), the SDK and docs list them.

import type { AnyAction } from '../action.ts';
import { multiElementsActions } from './multi-elements.ts';
import { identifyFace, imageRecognize } from './videos.ts';
import { tts } from './tts.ts';
import {
  accountCosts, advancedPresetsElements, deleteAdvancedElements, deleteElements, deleteVoices, presetsVoices,
} from './general.ts';

export const actions: readonly AnyAction[] = [
  ...multiElementsActions,
  identifyFace,
  imageRecognize,
  tts,
  deleteVoices,
  deleteElements,
  deleteAdvancedElements,
  presetsVoices,
  advancedPresetsElements,
  accountCosts,
];

export const actionByPath = (method: string, path: string) =>
  actions.find((a) => a.method === method.toUpperCase() && a.path === path);
