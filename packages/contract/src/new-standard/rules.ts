// Cross-field rules every new-standard endpoint draws from (spec new-standard.md §2, §11): how many items of each
// content type, unique content ids, frames in order, `@id` references that name an item, the multi-shot syntax.
// Each returns the 1201 message naming the field.

import type { Rule } from '../family.ts';
import type { Shot } from '../plan.ts';
import { isTrue } from '../fields.ts';
import { itemsOf, promptOf, settingsOf, type NewStandardBody } from './body.ts';
import type { ContentType, NewStandardModel } from './endpoint.ts';
import { parseShots, usesShotSyntax } from './multi-shot.ts';

export type NewStandardRule = Rule<NewStandardBody, NewStandardModel>;

/** Where the prompt is, as messages name it: `prompt`, or the `prompt` item's `contents[i].text`. */
export function promptField(req: NewStandardBody): string {
  if (req.prompt !== undefined) return 'prompt';
  const i = req.contents?.findIndex((c) => c.type === 'prompt') ?? -1;
  return i < 0 ? 'contents' : `contents[${i}].text`;
}

/** Item counts: at most `max` of a type, and the required ones at least once. */
export function countRules(max: Partial<Record<ContentType, number>>, required: readonly ContentType[] = []): NewStandardRule[] {
  return [
    {
      id: 'contents-required',
      text: `contents must include ${required.map((t) => `a ${t} item`).join(' and ') || 'nothing in particular'}`,
      check: (req) => {
        for (const type of required) if (itemsOf(req, type).length === 0) return `contents must include a ${type} item`;
      },
    },
    {
      id: 'contents-counts',
      text: `contents may hold at most ${Object.entries(max).map(([t, n]) => `${n} ${t}`).join(', ')}`,
      check: (req) => {
        for (const [type, n] of Object.entries(max) as [ContentType, number][]) {
          const count = itemsOf(req, type).length;
          if (count > n) return `contents may hold at most ${n} item${n === 1 ? '' : 's'} of type ${type} (got ${count})`;
        }
      },
    },
    {
      id: 'content-ids-unique',
      text: 'content ids are unique within a task',
      check: (req) => {
        const seen = new Map<string, number>();
        for (const [i, item] of (req.contents ?? []).entries()) {
          if (item.id === undefined) continue;
          if (seen.has(item.id)) return `contents[${i}].id '${item.id}' is already the id of contents[${seen.get(item.id)}]; ids must be unique within a task`;
          seen.set(item.id, i);
        }
      },
    },
  ];
}

/** A last frame needs a first frame: "last-frame-only is not supported" (§3.2 rule 1, §3.3 rule 1). */
export const lastNeedsFirst: NewStandardRule = {
  id: 'last-frame-needs-first',
  text: 'a last_frame item needs a first_frame item (a last frame alone is not supported)',
  check: (req) => {
    if (itemsOf(req, 'last_frame').length && !itemsOf(req, 'first_frame').length) {
      return 'contents: a last_frame item needs a first_frame item (a last frame alone is not supported)';
    }
  },
};

/**
 * `@xxx` in the prompt names a content item by its `id` (§2.5). A token shaped like the ids Kling's examples use
 * (`@image_1`, `@video_1`, `@element_2`, `@1`) must name an item of the request; other tokens may be an element's name
 * (§9 C14) or plain text such as an e-mail address, so kiln leaves them as written.
 */
export const referencesResolve: NewStandardRule = {
  id: 'prompt-references',
  text: 'an @image_n / @video_n / @element_n / @n reference in the prompt names a content item id',
  check: (req) => {
    const ids = new Set((req.contents ?? []).flatMap((c) => (c.id === undefined ? [] : [c.id])));
    for (const match of promptOf(req).matchAll(/(?<![\w.])@([A-Za-z0-9_]+)/g)) {
      const token = match[1];
      if (!/^(?:(?:image|video|element|voice)_\d+|\d+)$/.test(token) || ids.has(token)) continue;
      return `${promptField(req)}: @${token} names no content item; give the item it means "id": "${token}"`;
    }
  },
};

/** Whether the request's prompt is read as a storyboard. */
export function multiShotApplies(req: NewStandardBody, model: NewStandardModel): boolean {
  if (!usesShotSyntax(promptOf(req))) return false;
  if (model.multiShot === 'syntax') return true;
  return model.multiShot === 'setting' && isTrue(settingsOf(req).multi_shot);
}

export const storyboardRule: NewStandardRule = {
  id: 'multi-shot-syntax',
  text: 'a multi-shot prompt ("shot n, m, words; …") has 1–6 shots of ≥ 1 s each, adding up to settings.duration, each ≤ 512 characters',
  check: (req, model) => {
    if (!multiShotApplies(req, model)) return;
    const parsed = parseShots(promptOf(req), Number(settingsOf(req).duration), promptField(req));
    if ('error' in parsed) return parsed.error;
  },
};

/** The storyboard the plan renders: its shots, or none for a single-shot prompt. */
export function shotsFor(req: NewStandardBody, model: NewStandardModel): Shot[] {
  if (!multiShotApplies(req, model)) return [];
  const parsed = parseShots(promptOf(req), Number(settingsOf(req).duration), promptField(req));
  return 'shots' in parsed ? parsed.shots : [];
}
