// JSON parsing that keeps integers beyond 2^53 exact. Kling's `element_id` values such as 829836802793406551
// arrive as bare JSON numbers; JSON.parse would round them, so long integer literals are turned into strings
// before parsing. Strings inside the document are left untouched.
// The same scan bounds how deeply the document nests: a body of thousands of nested arrays would otherwise parse
// fine and then overflow the stack of whatever walks it (validation, serialization).

/** How deeply objects and arrays may nest. Kling's deepest documented body nests 4 levels (a shot inside
 *  `multi_prompt`, `camera_control.config`); 64 leaves room for any client while keeping recursive walks safe. */
export const MAX_JSON_DEPTH = 64;

const SAFE_DIGITS = 15;

/** Thrown when a document nests deeper than allowed, before anything is built from it. */
export class JsonTooDeepError extends Error {
  constructor(readonly maxDepth: number) {
    super(`JSON nests deeper than ${maxDepth} levels`);
    this.name = 'JsonTooDeepError';
  }
}

export function parseJsonKeepingBigInts(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  return JSON.parse(quoteLongIntegers(text, maxDepth));
}

/** The text with long integer literals quoted; the text itself (no copy) when it has none. */
export function quoteLongIntegers(text: string, maxDepth = Infinity): string {
  let out = '';
  let last = 0;
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) { i++; break; }
        else i++;
      }
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) throw new JsonTooDeepError(maxDepth);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    } else if ((c >= 48 && c <= 57) || c === 45 /* - */) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      const digits = text.charCodeAt(start) === 45 ? i - start - 1 : i - start;
      // Only a literal long enough to lose precision is sliced and checked; short numbers cost no allocation.
      if (digits > SAFE_DIGITS) {
        const literal = text.slice(start, i);
        if (/^-?\d+$/.test(literal)) {
          out += text.slice(last, start) + '"' + literal + '"';
          last = i;
        }
      }
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
}
