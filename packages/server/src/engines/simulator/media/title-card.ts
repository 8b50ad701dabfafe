// Draws one still that answers a request at a glance: the prompt over a colour (or photo), labels, reference thumbnails.

import sharp from 'sharp';
import type { Palette } from './palette.ts';
import { escapeXml, fitText } from './text-layout.ts';
import type { Thumbnail } from './thumbnails.ts';

export interface CardSpec {
  width: number;
  height: number;
  palette: Palette;
  /** A photo already cover-fitted to width × height (e.g. the first frame); the flat palette colour otherwise. */
  photo?: Buffer;
  /** Small caps line at the top, e.g. "KILN · SHOT 2 OF 3 · 3 S". */
  label: string;
  /** The prompt. */
  text: string;
  /** A large index drawn top-right, e.g. "2/4" for the second of four images. */
  badge?: string;
  thumbnails: readonly Thumbnail[];
  /** Height kept for a progress track along the bottom edge (videos); 0 for none. */
  trackHeight?: number;
}

export const FONT = 'DejaVu Sans';

/** Layout measures shared with the watermark and the video's progress bar, so they never overlap the text. */
export function cardMetrics(width: number, height: number) {
  const short = Math.min(width, height);
  return {
    short,
    margin: Math.round(short * 0.06),
    labelSize: Math.max(10, Math.round(short * 0.028)),
    // Bottom-left room for the watermark, kept on every card so watermarked and plain outputs share a layout.
    watermarkRoom: Math.round(short * 0.13),
  };
}

/** Edge for `count` reference thumbnails: a fifth of the short side, smaller when the row would pass half the width. */
export function thumbnailEdge(width: number, height: number, count: number): number {
  const { short, margin } = cardMetrics(width, height);
  const gap = Math.round(margin / 3);
  return Math.max(16, Math.min(Math.round(short * 0.2), Math.floor((width / 2 - gap * (count - 1)) / Math.max(1, count))));
}

/** The card as a sharp pipeline; the caller picks the output format. */
export function titleCard(spec: CardSpec): sharp.Sharp {
  const { width, height, palette } = spec;
  const m = cardMetrics(width, height);
  const track = spec.trackHeight ?? 0;
  const bottom = height - track;

  // Thumbnails (sized by thumbnailEdge) sit in a row at the bottom right.
  const thumbs = placeThumbnails(spec.thumbnails, width, bottom, m.margin);
  const thumbTop = thumbs.length ? Math.min(...thumbs.map((t) => t.top)) : bottom;

  const textTop = m.margin + m.labelSize * 2.2;
  const textBottom = Math.min(thumbTop - m.margin * 0.5, bottom - m.watermarkRoom);
  const box = { width: width - 2 * m.margin, height: Math.max(m.labelSize, textBottom - textTop) };
  const fitted = fitText(spec.text, box, Math.round(m.short * 0.085), Math.max(10, Math.round(m.short * 0.03)));
  const lineHeight = fitted.fontSize * 1.25;
  const blockHeight = fitted.lines.length * lineHeight;
  // On a photo the text sits low, over a dark band, leaving the picture visible; on a colour it is centred.
  const blockTop = spec.photo ? textBottom - blockHeight : textTop + (box.height - blockHeight) / 2;

  const parts: string[] = [];
  if (spec.photo) {
    if (fitted.lines.length) {
      const pad = fitted.fontSize * 0.5;
      parts.push(`<rect x="0" y="${blockTop - pad}" width="${width}" height="${blockHeight + 2 * pad}" fill="#000" fill-opacity="0.5"/>`);
    }
    parts.push(`<rect x="0" y="0" width="${width}" height="${m.margin + m.labelSize * 1.6}" fill="#000" fill-opacity="0.35"/>`);
  } else {
    // Two flat discs give the colour field some shape without gradients, which would cost the encoder.
    parts.push(`<circle cx="${width * 0.85}" cy="${height * 0.22}" r="${m.short * 0.42}" fill="${palette.shade}"/>`);
    parts.push(`<circle cx="${width * 0.08}" cy="${height * 0.95}" r="${m.short * 0.22}" fill="${palette.shade}"/>`);
  }
  parts.push(
    `<text x="${m.margin}" y="${m.margin + m.labelSize}" font-family="${FONT}" font-size="${m.labelSize}" fill="#fff" fill-opacity="0.85">${escapeXml(spec.label)}</text>`,
  );
  if (spec.badge) {
    const size = Math.round(m.short * 0.11);
    parts.push(
      `<text x="${width - m.margin}" y="${m.margin + size * 0.8}" text-anchor="end" font-family="${FONT}" font-weight="bold" font-size="${size}" fill="#fff">${escapeXml(spec.badge)}</text>`,
    );
  }
  const tspans = fitted.lines
    .map((line, i) => `<tspan x="${m.margin}" y="${(blockTop + fitted.fontSize * 0.95 + i * lineHeight).toFixed(1)}">${escapeXml(line)}</tspan>`)
    .join('');
  parts.push(`<text font-family="${FONT}" font-weight="bold" font-size="${fitted.fontSize}" fill="#fff">${tspans}</text>`);
  if (track) parts.push(`<rect x="0" y="${bottom}" width="${width}" height="${track}" fill="#000" fill-opacity="0.55"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;

  const base = spec.photo
    ? sharp(spec.photo)
    : sharp({ create: { width, height, channels: 3, background: palette.background } });
  return base.composite([
    { input: Buffer.from(svg), left: 0, top: 0 },
    ...thumbs.map((t) => ({ input: t.input, left: t.left, top: t.top })),
  ]);
}

function placeThumbnails(thumbnails: readonly Thumbnail[], width: number, bottom: number, margin: number) {
  const gap = Math.round(margin / 3);
  let right = width - margin;
  const placed = [];
  for (const t of [...thumbnails].reverse()) {
    placed.push({ input: t.input, left: right - t.width, top: bottom - margin - t.height });
    right -= t.width + gap;
  }
  return placed;
}
