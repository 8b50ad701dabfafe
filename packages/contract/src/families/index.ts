// Every endpoint family kiln serves. Adding a family is adding its file and one line here.

import type { AnyFamily } from '../family.ts';
import { omniVideo } from './omni-video.ts';
import { text2video } from './text2video.ts';
import { image2video } from './image2video.ts';
import { multiImage2video } from './multi-image2video.ts';
import { omniImage } from './omni-image.ts';
import { generations } from './generations.ts';

export const families: readonly AnyFamily[] = [omniVideo, text2video, image2video, multiImage2video, omniImage, generations];

export function familyByName(name: string): AnyFamily | undefined {
  return families.find((f) => f.name === name);
}
