// Pictures of the simulator's preset elements (advanced-presets-elements): one per view, a silhouette on a colour of
// the element's own, with its name, so a client listing the library gets real, distinct images to show and reuse.

import sharp from 'sharp';
import { hsl, hashText } from './palette.ts';
import { escapeXml } from './text-layout.ts';

// The font the title cards use too (installed with the fonts-dejavu package).
const FONT = 'DejaVu Sans';

export type Silhouette = 'person' | 'animal' | 'item' | 'scene';

/** Views of an element: the frontal image first, then the other angles. */
export const VIEW_NAMES = ['front', 'left', 'right', 'back'] as const;

/** A PNG of `name` seen from `view`, `width` × `height` (standard image limits: ≥ 300 px, ratio ≤ 2.5). */
export async function presetElementPng(name: string, silhouette: Silhouette, view: number, width = 768, height = 1024): Promise<Buffer> {
  const hue = hashText(name) % 360;
  const s = Math.min(width, height);
  // Side views squash the figure horizontally; the back view darkens it.
  const squash = view === 1 || view === 2 ? 0.6 : 1;
  const shade = view === 3 ? hsl(hue, 0.35, 0.2) : hsl(hue, 0.55, 0.72);
  const cx = view === 1 ? width * 0.45 : view === 2 ? width * 0.55 : width / 2;
  const figure = figureSvg(silhouette, cx, height, s, squash);
  const label = `${name} · ${VIEW_NAMES[view] ?? 'view'}`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`
    + `<rect width="100%" height="100%" fill="${hsl(hue, 0.45, 0.3)}"/>`
    + `<g fill="${shade}">${figure}</g>`
    + `<text x="${width / 2}" y="${height - s * 0.05}" font-family="${FONT}" font-size="${Math.round(s * 0.05)}" `
    + `fill="white" text-anchor="middle">${escapeXml(label)}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

function figureSvg(kind: Silhouette, cx: number, height: number, s: number, squash: number): string {
  const w = (v: number) => v * squash;
  switch (kind) {
    case 'person':
      return `<ellipse cx="${cx}" cy="${height * 0.28}" rx="${w(s * 0.13)}" ry="${s * 0.16}"/>`
        + `<path d="M ${cx - w(s * 0.3)} ${height * 0.85} Q ${cx} ${height * 0.35} ${cx + w(s * 0.3)} ${height * 0.85} Z"/>`;
    case 'animal':
      return `<ellipse cx="${cx}" cy="${height * 0.6}" rx="${w(s * 0.3)}" ry="${s * 0.16}"/>`
        + `<circle cx="${cx + w(s * 0.28)}" cy="${height * 0.45}" r="${s * 0.11}"/>`
        + `<rect x="${cx - w(s * 0.22)}" y="${height * 0.66}" width="${w(s * 0.06)}" height="${s * 0.18}"/>`
        + `<rect x="${cx + w(s * 0.14)}" y="${height * 0.66}" width="${w(s * 0.06)}" height="${s * 0.18}"/>`;
    case 'item':
      return `<rect x="${cx - w(s * 0.22)}" y="${height * 0.35}" width="${w(s * 0.44)}" height="${s * 0.44}" rx="${s * 0.05}"/>`;
    case 'scene':
      return `<path d="M ${cx - w(s * 0.45)} ${height * 0.8} L ${cx - w(s * 0.1)} ${height * 0.35} L ${cx + w(s * 0.1)} ${height * 0.6} `
        + `L ${cx + w(s * 0.25)} ${height * 0.45} L ${cx + w(s * 0.45)} ${height * 0.8} Z"/>`;
  }
}
