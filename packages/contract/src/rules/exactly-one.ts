// "Either A or B, not both, not neither" (spec §11 rule 9): video_id/video_url (identify-face, init-selection,
// video-to-audio), audio_id/sound_file (avatar, advanced-lip-sync). Kling's examples send the unused side as "",
// so an empty string counts as absent.

import type { Rule } from '../family.ts';

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/** The message when `item` breaks the pair, naming the fields with `prefix` (`face_choose[0].`). */
export function exactlyOneBroken(item: Record<string, unknown>, a: string, b: string, prefix = ''): string | undefined {
  const hasA = present(item[a]);
  const hasB = present(item[b]);
  if (hasA && hasB) return `only one of ${prefix}${a} and ${prefix}${b} may be given, not both`;
  if (!hasA && !hasB) return `one of ${prefix}${a} and ${prefix}${b} is required (both are empty)`;
}

export function exactlyOneRule<Req extends object>(a: string, b: string): Rule<Req, unknown> {
  return {
    id: `${a}-xor-${b}`,
    text: `exactly one of ${a} and ${b} is given`,
    check: (req) => exactlyOneBroken(req as Record<string, unknown>, a, b),
  };
}
