// The operator's global simulation rules: faults applied at random to matching tasks, and words that trip the
// content policy. Kept in the settings table so every process sees the same rules.

import { KlingError, moderatedTexts } from '@kiln/contract';
import type { Db } from '../../store/open.ts';
import { readJsonSetting, writeJsonSetting } from '../../store/settings.ts';
import { parseDirectives, type Directives } from './directives.ts';

export interface FaultRule {
  /** Family name (e.g. `omni-video`); absent matches every family. */
  family?: string;
  /** Chance in [0, 1] that a matching task gets the fault. */
  probability: number;
  /** Directives in the `X-Kiln-Simulate` grammar, e.g. `fail=1301` or `delay=30s`. */
  fault: string;
}

export interface SimulationRules {
  rules: FaultRule[];
  /** Prompts containing any of these words (case-insensitive) are refused with 1301, as Kling's moderation does. */
  blocked_words: string[];
}

const KEY = 'simulator_rules';
export const NO_RULES: SimulationRules = { rules: [], blocked_words: [] };

/** Checks rules sent by an operator; every problem is a 1201 naming the rule. */
export function validateRules(input: unknown): SimulationRules {
  const body = (input ?? {}) as Record<string, unknown>;
  const rules = body.rules ?? [];
  const words = body.blocked_words ?? [];
  if (!Array.isArray(rules) || rules.length > 100) throw new KlingError(1201, 'rules must be an array of at most 100 rules');
  if (!Array.isArray(words) || words.length > 1000 || words.some((w) => typeof w !== 'string' || !w.trim())) {
    throw new KlingError(1201, 'blocked_words must be an array of non-empty strings');
  }
  const checked = rules.map((rule: any, i: number): FaultRule => {
    if (typeof rule !== 'object' || rule === null) throw new KlingError(1201, `rules[${i}] must be an object`);
    if (rule.family !== undefined && typeof rule.family !== 'string') throw new KlingError(1201, `rules[${i}].family must be a string`);
    if (typeof rule.probability !== 'number' || rule.probability < 0 || rule.probability > 1) {
      throw new KlingError(1201, `rules[${i}].probability must be a number in [0, 1]`);
    }
    if (typeof rule.fault !== 'string') throw new KlingError(1201, `rules[${i}].fault must be a string such as "fail=1301"`);
    try {
      parseDirectives(rule.fault);
    } catch (error) {
      throw new KlingError(1201, `rules[${i}].fault: ${(error as Error).message}`);
    }
    return { family: rule.family, probability: rule.probability, fault: rule.fault };
  });
  return { rules: checked, blocked_words: words.map((w: string) => w.trim()) };
}

export const loadRules = (db: Db): Promise<SimulationRules> => readJsonSetting(db, KEY, NO_RULES);

export const saveRules = (db: Db, rules: SimulationRules): Promise<void> => writeJsonSetting(db, KEY, rules);

/** The directives the rules add to a task of `family` (the first rule that fires wins). */
export function directivesFromRules(rules: SimulationRules, family: string, random: () => number = Math.random): Directives {
  for (const rule of rules.rules) {
    if (rule.family && rule.family !== family) continue;
    if (random() < rule.probability) return parseDirectives(rule.fault);
  }
  return {};
}

/** The first blocked word in the texts Kling moderates, with the field that holds it. */
export function blockedWordIn(rules: SimulationRules, body: Record<string, any>): { word: string; field: string } | undefined {
  if (!rules.blocked_words.length) return undefined;
  for (const { field, text } of moderatedTexts(body)) {
    const lower = text.toLowerCase();
    const word = rules.blocked_words.find((w) => lower.includes(w.toLowerCase()));
    if (word) return { word, field };
  }
  return undefined;
}
