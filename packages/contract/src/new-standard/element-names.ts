// `@Name` references to elements by name (spec new-standard.md §2.5, §9 C14). The vendor pages reference elements by
// their *name* ("avoid Element names that are substrings of each other, such as @Zhang and @ZhangSan"), so on the
// endpoints that take element items an `@` token that names no content item must name one of the caller's elements.
// Which elements a tenant has is known only to the server: it supplies their names at create (rules.ts checks the
// id-shaped tokens synchronously; this rule keeps the wording of the rest).
//
// Choices where the spec is silent (§10 "@xxx resolution"):
// - A reference is an `@` not preceded by an ASCII letter, digit, `_` or `.` (so `a@b.com` is not one, while Chinese
//   text without spaces, `让@张三走来`, is), followed by a letter, digit or `_` of any script (`@张三`).
// - It resolves when the text after the `@` starts with a content item's id or an element's name: the vendor's
//   substring caution says names are found in the text, not cut at a word boundary, so `@Zhang's` and, in Chinese
//   with no spaces, `@张三走来` resolve, and multi-word names (`@Street Dancer`) work.
// - Names match exactly, case included, as ids do: a near miss in case is refused with the name it probably meant,
//   since a reference the model cannot resolve would silently generate without the element.
// - An element is one the tenant can put in `contents[].element_id`: a preset or one of its own custom elements,
//   not deleted. It need not be in the request's contents.

import { promptOf, type NewStandardBody } from './body.ts';
import { promptField } from './rules.ts';

export interface ElementNameRule {
  id: string;
  text: string;
  /** Whether the prompt has references no content item resolves, so the server must look up the element names. */
  pending(req: NewStandardBody): boolean;
  /** Given the names of the caller's elements, the 1201 message for the first reference naming none of them. */
  check(req: NewStandardBody, elementNames: readonly string[]): string | undefined;
}

/** Id-shaped tokens are the synchronous rule's (rules.ts referencesResolve), whatever follows them. */
const ID_SHAPED = /^(?:(?:image|video|element|voice)_\d+|\d+)$/;
const REFERENCE = /(?<![\w.])@(?=[\p{L}\p{N}_])/gu;
const TOKEN = /^[\p{L}\p{N}_]+/u;

interface Reference {
  /** The word after the `@`, as the message names it. */
  token: string;
  /** The prompt from just after the `@`. */
  rest: string;
}

const contentIds = (req: NewStandardBody): string[] => (req.contents ?? []).flatMap((c) => (c.id === undefined ? [] : [c.id]));

/** The prompt's references that are not id-shaped and that no content item id resolves. */
function nameReferences(req: NewStandardBody): Reference[] {
  const prompt = promptOf(req);
  const ids = contentIds(req);
  const found: Reference[] = [];
  for (const match of prompt.matchAll(REFERENCE)) {
    const rest = prompt.slice(match.index + 1);
    const token = TOKEN.exec(rest)![0];
    if (ID_SHAPED.test(token) || ids.some((id) => rest.startsWith(id))) continue;
    found.push({ token, rest });
  }
  return found;
}

/** The known name a reference would match if case did not count, for the refusal's hint. */
function nearMiss(rest: string, known: readonly string[]): string | undefined {
  const lower = rest.toLowerCase();
  return known.filter((k) => lower.startsWith(k.toLowerCase())).sort((a, b) => b.length - a.length)[0];
}

export const elementNamesResolve: ElementNameRule = {
  id: 'prompt-element-names',
  text: 'an @Name reference in the prompt that names no content item id names one of your elements (a preset or your own, not deleted), exactly, case included',
  pending: (req) => nameReferences(req).length > 0,
  check: (req, elementNames) => {
    // An empty name would be a prefix of everything.
    const names = elementNames.filter((n) => n.length > 0);
    for (const { token, rest } of nameReferences(req)) {
      if (names.some((n) => rest.startsWith(n))) continue;
      const hint = nearMiss(rest, [...names, ...contentIds(req)]);
      return `${promptField(req)}: @${token} names no content item and none of your elements (you have no element named '${token}')`
        + (hint ? `; names match exactly, case included: did you mean @${hint}?` : '');
    }
  },
};
