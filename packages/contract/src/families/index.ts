// Every endpoint family kiln serves. Adding a family is adding its file and one line here.

import type { AnyFamily } from '../family.ts';
import { omniVideo } from './omni-video.ts';
import { text2video } from './text2video.ts';
import { image2video } from './image2video.ts';
import { multiImage2video } from './multi-image2video.ts';
import { omniImage } from './omni-image.ts';
import { generations } from './generations.ts';
import { multiImage2image } from './multi-image2image.ts';
import { effects } from './effects.ts';
import { avatar } from './avatar.ts';
import { motionControl } from './motion-control.ts';
import { videoExtend } from './video-extend.ts';
import { textToAudio } from './text-to-audio.ts';
import { videoToAudio } from './video-to-audio.ts';
import { expand } from './expand.ts';
import { kolorsVirtualTryOn } from './kolors-virtual-try-on.ts';
import { aiMultiShot } from './ai-multi-shot.ts';
import { customVoices } from './custom-voices.ts';
import { advancedCustomElements } from './advanced-custom-elements.ts';
import { multiElements } from './multi-elements.ts';
import { advancedLipSync } from './advanced-lip-sync.ts';
import { lipSync } from './lip-sync.ts';
import { newStandardEndpointByName } from '../new-standard/index.ts';

/** Families by group and SDK method name: `client.videos.omniVideo`, `client.images.generations`. */
export const familyGroups = {
  videos: { omniVideo, text2video, image2video, multiImage2video, effects, avatar, motionControl, videoExtend, multiElements, advancedLipSync, lipSync },
  images: { omniImage, generations, multiImage2image, expand, kolorsVirtualTryOn },
  audio: { textToAudio, videoToAudio },
  general: { aiMultiShot, customVoices, advancedCustomElements },
} as const;

export const families: readonly AnyFamily[] = Object.values(familyGroups).flatMap((group) => Object.values(group) as AnyFamily[]);

/**
 * A family by the name its tasks store: a legacy family (`omni-video`) or a new-standard endpoint
 * (`text-to-video/kling-3.0-turbo`), whose tasks the same store, engines and billing run.
 */
export function familyByName(name: string): AnyFamily | undefined {
  return families.find((f) => f.name === name) ?? (newStandardEndpointByName(name) as AnyFamily | undefined);
}
