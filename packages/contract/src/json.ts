// JSON parsing that keeps integers beyond 2^53 exact. Kling's `element_id` values such as 829836802793406551
// arrive as bare JSON numbers; JSON.parse would round them, so long integer literals are turned into strings
// before parsing. Strings inside the document are left untouched.

const SAFE_DIGITS = 15;

export function parseJsonKeepingBigInts(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text));
}

export function quoteLongIntegers(text: string): string {
  let out = '';
  let last = 0;
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
    if ((c >= 48 && c <= 57) || c === 45 /* - */) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      const literal = text.slice(start, i);
      const digits = literal.startsWith('-') ? literal.length - 1 : literal.length;
      if (digits > SAFE_DIGITS && /^-?\d+$/.test(literal)) {
        out += text.slice(last, start) + '"' + literal + '"';
        last = i;
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
