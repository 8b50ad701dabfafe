// The families and synchronous endpoints beyond video/image generation, kept apart from `familyGroups` until the
// server renders their plans (plan-more.ts) and serves their routes: then each moves into families/index.ts (effects,
// avatar, motion-control, video-extend, text-to-audio, video-to-audio, expand, try-on and ai-multi-shot have) and
// `actions` gets its routes. Same shape as familyGroups: group → SDK method name.

import type { AnyPlannedFamily } from '../family.ts';
import { multiElements } from './multi-elements.ts';
import { advancedLipSync } from './advanced-lip-sync.ts';
import { customVoices } from './custom-voices.ts';
import { advancedCustomElements } from './advanced-custom-elements.ts';

/** `client.videos.multiElements`, `client.general.customVoices`. */
export const moreFamilyGroups = {
  videos: { multiElements, advancedLipSync },
  general: { customVoices, advancedCustomElements },
} as const;

export const moreFamilies: readonly AnyPlannedFamily[] = Object.values(moreFamilyGroups).flatMap(
  (group) => Object.values(group) as AnyPlannedFamily[],
);

export { actions, actionByPath } from '../actions/index.ts';
