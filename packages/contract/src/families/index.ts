// Every endpoint family kiln serves. Adding a family is adding its file and one line here.

import type { AnyFamily } from '../family.ts';
import { omniVideo } from './omni-video.ts';
import { text2video } from './text2video.ts';
import { image2video } from './image2video.ts';
import { multiImage2video } from './multi-image2video.ts';
import { omniImage } from './omni-image.ts';
import { generations } from './generations.ts';
import { multiImage2image } from './multi-image2image.ts';

/** Families by group and SDK method name: `client.videos.omniVideo`, `client.images.generations`. */
export const familyGroups = {
  videos: { omniVideo, text2video, image2video, multiImage2video },
  images: { omniImage, generations, multiImage2image },
} as const;

export const families: readonly AnyFamily[] = Object.values(familyGroups).flatMap((group) => Object.values(group) as AnyFamily[]);

export function familyByName(name: string): AnyFamily | undefined {
  return families.find((f) => f.name === name);
}
