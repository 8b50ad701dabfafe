// Fits a prompt into a box for SVG: librsvg does not wrap text, so lines are broken here from estimated glyph widths.

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

// Advance widths in em for DejaVu Sans (regular), grouped coarsely and checked against rendered text to within a few
// percent; overestimating a little only wraps a little early.
function charWidth(ch: string): number {
  const code = ch.codePointAt(0)!;
  if (code >= 0x1100 && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\uFF00-\uFFEF]/u.test(ch)) return 1;
  if (ch === ' ') return 0.32;
  if ('il.,:;!|\'`'.includes(ch)) return 0.3;
  if ('fjrtI()[]{}-'.includes(ch)) return 0.42;
  if ('mwMW@%'.includes(ch)) return 0.9;
  if (/[A-Z0-9]/.test(ch)) return 0.68;
  return 0.6;
}

export function textWidthEm(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/**
 * Breaks text into lines no wider than `maxEm`, at spaces where possible (CJK text has none, so any character may
 * break). Returns at most `maxLines` lines, the last ending in '…' when text was cut.
 */
export function wrapText(text: string, maxEm: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  // Tokens are words with their trailing space, or single wide characters.
  const tokens = text.replace(/\s+/g, ' ').trim().match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+ ?| /gu) ?? [];
  for (const token of tokens) {
    const tokenWidth = textWidthEm(token.trimEnd());
    if (width + tokenWidth > maxEm && line) {
      lines.push(line.trimEnd());
      line = '';
      width = 0;
    }
    if (tokenWidth > maxEm) {
      // A word longer than the line: split it by characters.
      for (const ch of token) {
        const w = charWidth(ch);
        if (width + w > maxEm && line) {
          lines.push(line.trimEnd());
          line = '';
          width = 0;
        }
        line += ch;
        width += w;
      }
      continue;
    }
    line += token;
    width += textWidthEm(token);
  }
  if (line.trim()) lines.push(line.trimEnd());
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1];
  while (last && textWidthEm(`${last}…`) > maxEm) last = [...last].slice(0, -1).join('');
  kept[maxLines - 1] = `${last.trimEnd()}…`;
  return kept;
}

export interface FittedText {
  fontSize: number;
  lines: string[];
}

/** DejaVu Sans Bold runs about 13% wider than regular. */
export const BOLD_WIDTH = 1.14;

/**
 * Picks the largest font size between `minSize` and `maxSize` at which the text fits the box in `lineHeight`
 * spacing; at the minimum size the text is cut with an ellipsis instead. `widthFactor` scales glyph widths
 * (BOLD_WIDTH for bold text).
 */
export function fitText(
  text: string,
  box: { width: number; height: number },
  maxSize: number,
  minSize: number,
  { lineHeight = 1.25, widthFactor = 1 } = {},
): FittedText {
  const emBox = (size: number) => box.width / (size * widthFactor);
  for (let size = maxSize; size > minSize; size = Math.floor(size * 0.9)) {
    const maxLines = Math.floor(box.height / (size * lineHeight));
    if (maxLines < 1) continue;
    const lines = wrapText(text, emBox(size), Number.MAX_SAFE_INTEGER);
    if (lines.length <= maxLines) return { fontSize: size, lines };
  }
  const maxLines = Math.max(1, Math.floor(box.height / (minSize * lineHeight)));
  return { fontSize: minSize, lines: wrapText(text, emBox(minSize), maxLines) };
}
