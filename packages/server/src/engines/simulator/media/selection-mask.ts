// The simulator's stand-in for click segmentation (multi-elements add/delete-selection, spec §2.6): no model looks
// at the frame; the "element" is an ellipse around the clicked points, the same for the same points, so the RLE,
// the PNG and the preview all show one predictable shape.

import sharp from 'sharp';
import type { Mask } from './rle.ts';

export interface Point {
  x: number;
  y: number;
}

/**
 * An ellipse centred on the points' bounding box that contains every point: the box's half-sides times √2 (an
 * ellipse through the box's corners) plus a margin of a tenth of the short side, so one click marks a disc.
 */
export function maskFromPoints(points: readonly Point[], width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  if (!points.length) return { width, height, data };
  const xs = points.map((p) => p.x * width);
  const ys = points.map((p) => p.y * height);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const margin = Math.min(width, height) * 0.1;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const rx = ((maxX - minX) / 2) * Math.SQRT2 + margin;
  const ry = ((maxY - minY) / 2) * Math.SQRT2 + margin;
  const top = Math.max(0, Math.floor(cy - ry));
  const bottom = Math.min(height - 1, Math.ceil(cy + ry));
  for (let y = top; y <= bottom; y++) {
    // Pixel centres inside the ellipse: a horizontal span per row.
    const dy = (y + 0.5 - cy) / ry;
    if (dy * dy > 1) continue;
    const half = rx * Math.sqrt(1 - dy * dy);
    const from = Math.max(0, Math.ceil(cx - half - 0.5));
    const to = Math.min(width - 1, Math.floor(cx + half - 0.5));
    if (to >= from) data.fill(1, y * width + from, y * width + to + 1);
  }
  return { width, height, data };
}

/** Does the mask cover the pixel a point falls on? */
export function maskCovers(mask: Mask, point: Point): boolean {
  const x = Math.min(mask.width - 1, Math.floor(point.x * mask.width));
  const y = Math.min(mask.height - 1, Math.floor(point.y * mask.height));
  return mask.data[y * mask.width + x] !== 0;
}

/** A greyscale PNG of the mask: 255 inside, 0 outside. */
export function maskPng(mask: Mask): Promise<Buffer> {
  const grey = Buffer.alloc(mask.data.length);
  for (let i = 0; i < grey.length; i++) grey[i] = mask.data[i] ? 255 : 0;
  return sharp(grey, { raw: { width: mask.width, height: mask.height, channels: 1 } }).png({ compressionLevel: 6 }).toBuffer();
}

/** The mask as an RGBA overlay: `rgba` inside, transparent outside (previews draw it over the video's frames). */
export function maskOverlayPng(mask: Mask, rgba: readonly [number, number, number, number]): Promise<Buffer> {
  const pixels = Buffer.alloc(mask.data.length * 4);
  for (let i = 0; i < mask.data.length; i++) {
    if (!mask.data[i]) continue;
    pixels[i * 4] = rgba[0];
    pixels[i * 4 + 1] = rgba[1];
    pixels[i * 4 + 2] = rgba[2];
    pixels[i * 4 + 3] = rgba[3];
  }
  return sharp(pixels, { raw: { width: mask.width, height: mask.height, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
}
