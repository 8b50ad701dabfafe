// The families and synchronous endpoints beyond video/image generation, kept apart from `familyGroups` until the
// server renders their plans (plan-more.ts) and serves their routes: then each group below merges into
// families/index.ts and `actions` gets its routes. Same shape as familyGroups: group → SDK method name.

import type { AnyPlannedFamily } from '../family.ts';
import { motionControl } from './motion-control.ts';
import { multiElements } from './multi-elements.ts';
import { videoExtend } from './video-extend.ts';
import { advancedLipSync } from './advanced-lip-sync.ts';
import { avatar } from './avatar.ts';
import { effects } from './effects.ts';
import { textToAudio } from './text-to-audio.ts';
import { videoToAudio } from './video-to-audio.ts';
import { customVoices } from './custom-voices.ts';
import { advancedCustomElements } from './advanced-custom-elements.ts';
import { aiMultiShot } from './ai-multi-shot.ts';
import { expand } from './expand.ts';
import { kolorsVirtualTryOn } from './kolors-virtual-try-on.ts';

/** `client.videos.motionControl`, `client.audio.textToAudio`, `client.general.customVoices`, `client.images.expand`. */
export const moreFamilyGroups = {
  videos: { motionControl, multiElements, videoExtend, advancedLipSync, avatar, effects },
  audio: { textToAudio, videoToAudio },
  general: { customVoices, advancedCustomElements, aiMultiShot },
  images: { expand, kolorsVirtualTryOn },
} as const;

export const moreFamilies: readonly AnyPlannedFamily[] = Object.values(moreFamilyGroups).flatMap(
  (group) => Object.values(group) as AnyPlannedFamily[],
);

export { actions, actionByPath } from '../actions/index.ts';
