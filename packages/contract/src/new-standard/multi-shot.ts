// The new standard's multi-shot prompt syntax (spec new-standard.md §2.6): `shot n, m, words; shot n, m, words;` —
// n the shot's number, m its length in seconds (≥ 1, the lengths adding up to settings.duration), words its prompt
// (≤ 512 characters), at most 6 shots. Kling 3.0 Turbo reads the syntax whenever the prompt uses it; Kling 3.0 and
// 3.0 Omni when `settings.multi_shot` is true (the default). The vendor's answers to a broken storyboard are not
// recorded (§10), so kiln's messages name the prompt field and the rule.

import type { Shot } from '../plan.ts';

export const MULTI_SHOT_LIMITS = { maxShots: 6, minShotSeconds: 1, maxShotChars: 512 } as const;

/** A prompt that opens with `shot 1,` is a storyboard (Cloudsway's copy writes "Shot", so case is not significant). */
export const usesShotSyntax = (prompt: string): boolean => /^\s*shot\s+\d+\s*,/i.test(prompt);

export type ParsedShots = { shots: Shot[] } | { error: string };

/**
 * The shots of a storyboard prompt, or what is wrong with it. `field` names the prompt in messages (`prompt`,
 * `contents[0].text`); `duration` is the task's length.
 */
export function parseShots(prompt: string, duration: number, field: string): ParsedShots {
  const parts = prompt.split(';').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length > MULTI_SHOT_LIMITS.maxShots) {
    return { error: `${field}: a multi-shot prompt may have at most ${MULTI_SHOT_LIMITS.maxShots} shots (got ${parts.length})` };
  }
  const shots: Shot[] = [];
  for (const [i, part] of parts.entries()) {
    const match = /^shot\s+(\d+)\s*,\s*(\d+)\s*,\s*([\s\S]*)$/i.exec(part);
    if (!match) return { error: `${field}: shot ${i + 1} must read "shot n, m, words" (n its number, m its seconds), separated by ";"` };
    const [, n, m, words] = match;
    if (Number(n) !== i + 1) return { error: `${field}: shots must be numbered 1, 2, 3 … in order (shot ${i + 1} is numbered ${n})` };
    const seconds = Number(m);
    if (seconds < MULTI_SHOT_LIMITS.minShotSeconds) return { error: `${field}: shot ${n} must last at least ${MULTI_SHOT_LIMITS.minShotSeconds} second` };
    if (!words.trim()) return { error: `${field}: shot ${n} has no words` };
    if (words.length > MULTI_SHOT_LIMITS.maxShotChars) {
      return { error: `${field}: shot ${n}'s words must be at most ${MULTI_SHOT_LIMITS.maxShotChars} characters (got ${words.length})` };
    }
    shots.push({ prompt: words.trim(), seconds });
  }
  const total = shots.reduce((sum, s) => sum + s.seconds, 0);
  if (total !== duration) return { error: `${field}: the shots last ${total} seconds in total but settings.duration is ${duration}` };
  return { shots };
}
