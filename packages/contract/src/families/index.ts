// Every endpoint family kiln serves. Adding a family is adding its file and one line here.

import type { AnyFamily } from '../family.ts';
import { omniVideo } from './omni-video.ts';

export const families: readonly AnyFamily[] = [omniVideo];

export function familyByName(name: string): AnyFamily | undefined {
  return families.find((f) => f.name === name);
}
