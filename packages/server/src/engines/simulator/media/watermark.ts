// The visible "kiln" mark for watermarked outputs: a translucent badge in the bottom-left corner.

import sharp from 'sharp';

export interface Watermark {
  /** RGBA PNG of the badge alone. */
  png: Buffer;
  left: number;
  top: number;
}

/** The badge for a frame of `width` × `height`; `bottomInset` keeps it above a video's progress bar. */
export async function makeWatermark(width: number, height: number, bottomInset = 0): Promise<Watermark> {
  const short = Math.min(width, height);
  const size = Math.max(12, Math.round(short * 0.06));
  const pad = Math.round(size * 0.35);
  const w = Math.round(size * 3.3) + 2 * pad;
  const h = size + 2 * pad;
  const r = Math.round(h * 0.22);
  // A dark translucent plate under white text stays readable on light and dark content alike.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <rect x="1" y="1" width="${w - 2}" height="${h - 2}" rx="${r}" fill="#000" fill-opacity="0.45" stroke="#fff" stroke-opacity="0.8" stroke-width="2"/>
  <circle cx="${pad + size * 0.4}" cy="${h / 2}" r="${size * 0.32}" fill="#ff8a3d"/>
  <text x="${pad + size * 0.95}" y="${pad + size * 0.82}" font-family="DejaVu Sans" font-weight="bold" font-size="${size}" fill="#fff" fill-opacity="0.92">kiln</text>
</svg>`;
  const png = await sharp(Buffer.from(svg)).png({ compressionLevel: 1 }).toBuffer();
  const margin = Math.round(short * 0.04);
  return { png, left: margin, top: height - bottomInset - margin - h };
}
