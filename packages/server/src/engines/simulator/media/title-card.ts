// Draws one still that answers a request at a glance: the prompt over a colour (or photo), labels, reference thumbnails.

import sharp from 'sharp';
import type { Palette } from './palette.ts';
import { BOLD_WIDTH, escapeXml, fitText, textWidthEm } from './text-layout.ts';
import type { Thumbnail } from './thumbnails.ts';

export interface CardSpec {
  width: number;
  height: number;
  palette: Palette;
  /** A photo already cover-fitted to width × height (e.g. the first frame); the flat palette colour otherwise. */
  photo?: Buffer;
  /** One line at the top saying what was rendered, e.g. "KILN · kling-v2-6 · pro · sound on · SHOT 2 OF 3 · 3 S". */
  label: string;
  /** The prompt. */
  text: string;
  /** A large index drawn top-right, e.g. "2/4" for the second of four images. */
  badge?: string;
  thumbnails: readonly Thumbnail[];
  /** Height kept for a progress track along the bottom edge (videos); 0 for none. */
  trackHeight?: number;
  /** Lay the text out as over a photo, though there is none here: the picture comes from an input video. */
  overPicture?: boolean;
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

/**
 * Height of a video's progress track along the bottom edge. Where it can, it stays inside the last row of 16-pixel
 * macroblocks (1080 leaves 8 pixels there) so the moving bar touches as few blocks as possible.
 */
export function progressTrackHeight(width: number, height: number): number {
  const wanted = Math.max(6, Math.round(Math.min(width, height) * 0.008) & ~1);
  const lastRow = height % 16 || 16;
  return lastRow >= 6 ? Math.min(wanted, lastRow) : wanted;
}

/** Edge for `count` reference thumbnails: a fifth of the short side, smaller when the row would pass half the width. */
export function thumbnailEdge(width: number, height: number, count: number): number {
  const { short, margin } = cardMetrics(width, height);
  const gap = Math.round(margin / 3);
  return Math.max(16, Math.min(Math.round(short * 0.2), Math.floor((width / 2 - gap * (count - 1)) / Math.max(1, count))));
}

/** The card as a sharp pipeline; the caller picks the output format. */
export function titleCard(spec: CardSpec): sharp.Sharp {
  const { width, height } = spec;
  const l = layout(spec);
  if (spec.photo) {
    // Over a photo, only strips are drawn (label bar, caption band, progress track), each as its own small SVG:
    // rendering and blending a full-frame transparent SVG costs several times more.
    return sharp(spec.photo).composite([...l.strips, ...l.thumbs]);
  }
  // A flat background is drawn by the SVG itself, in one full-frame render: compositing it over a separately
  // created image would cost several times more.
  const body = sceneSvg(spec, { width, height, scale: 1 }) + l.textSvg;
  // librsvg always renders RGBA; the card is opaque, and three channels halve the work for PNG and ffmpeg.
  const card = sharp(svg(width, height, body)).removeAlpha();
  return l.thumbs.length ? card.composite(l.thumbs) : card;
}

/** A canvas for a moving background: `width` × `height` pixels, the frame (drawn at `scale`) in its centre. */
export interface Canvas {
  width: number;
  height: number;
  scale: number;
}

/**
 * The card in two layers, for videos whose picture moves (a camera move, an edited input video): the scene (the photo
 * or the colour field) on a canvas larger than the frame, so a moving view finds more scene at its edges, and the
 * text, strips and thumbnails as a transparent frame-sized layer that stays put and legible on top.
 * With `overPicture` and no photo, only the foreground is meaningful (the picture comes from elsewhere).
 */
export function titleCardLayers(spec: CardSpec, canvas: Canvas): { background: sharp.Sharp; foreground: sharp.Sharp } {
  const { width, height } = spec;
  const l = layout(spec);
  const clear = { r: 0, g: 0, b: 0, alpha: 0 };
  const foreground = l.onPicture
    ? sharp({ create: { width, height, channels: 4, background: clear } }).composite([...l.strips, ...l.thumbs])
    : sharp(svg(width, height, l.textSvg)).composite(l.thumbs);
  let background: sharp.Sharp;
  if (spec.photo) {
    const w = Math.round(width * canvas.scale);
    const h = Math.round(height * canvas.scale);
    const left = Math.floor((canvas.width - w) / 2);
    const top = Math.floor((canvas.height - h) / 2);
    // Mirrored edges continue the photo's colours and shapes, with no seam, where a flat fill would show a frame.
    background = sharp(spec.photo)
      .resize(w, h, { kernel: 'linear' })
      .extend({ left, top, right: canvas.width - w - left, bottom: canvas.height - h - top, extendWith: 'mirror' });
  } else {
    background = sharp(svg(canvas.width, canvas.height, sceneSvg(spec, canvas))).removeAlpha();
  }
  return { background, foreground };
}

interface Layout {
  onPicture: boolean;
  /** Text over a colour field: label, badge, prompt, track, in one frame-sized SVG body. */
  textSvg: string;
  /** Text over a picture: label bar, caption band, track, as separate strips. */
  strips: sharp.OverlayOptions[];
  thumbs: sharp.OverlayOptions[];
}

function layout(spec: CardSpec): Layout {
  const { width, height } = spec;
  const m = cardMetrics(width, height);
  const track = spec.trackHeight ?? 0;
  const bottom = height - track;
  const onPicture = spec.photo !== undefined || spec.overPicture === true;

  // Thumbnails (sized by thumbnailEdge) sit in a row at the bottom right.
  const thumbs = placeThumbnails(spec.thumbnails, width, bottom, m.margin);
  const thumbTop = thumbs.length ? Math.min(...thumbs.map((t) => t.top)) : bottom;

  const badgeSize = Math.round(m.short * 0.11);
  // The text starts below the label, or below the badge when there is one, so long prompts never run under it.
  // Over a picture (the user's first frame or video) the text keeps to the lower part so the picture stays recognisable.
  const textTop = onPicture
    ? Math.round(height * 0.5)
    : m.margin + (spec.badge ? badgeSize : m.labelSize * 2.2);
  const textBottom = Math.min(thumbTop - m.margin * 0.5, bottom - m.watermarkRoom);
  const box = { width: width - 2 * m.margin, height: Math.max(m.labelSize, textBottom - textTop) };
  const fitted = fitText(spec.text, box, Math.round(m.short * 0.08), Math.max(10, Math.round(m.short * 0.03)), {
    widthFactor: BOLD_WIDTH,
  });
  const lineHeight = fitted.fontSize * 1.25;
  const blockHeight = fitted.lines.length * lineHeight;
  // On a picture the text sits low, over a dark band, leaving the picture visible; on a colour it is centred.
  const blockTop = onPicture ? textBottom - blockHeight : textTop + (box.height - blockHeight) / 2;

  // Over a picture the text sits on dark bands and stays white; on a colour field it takes the palette's ink.
  const ink = onPicture ? '#fff' : spec.palette.ink;
  // The label keeps to one line: on narrow frames a long one (model, mode, sound, shot, size) is set smaller.
  const labelSize = Math.max(8, Math.min(m.labelSize, Math.floor((width - 2 * m.margin) / textWidthEm(spec.label))));
  const labelText = `<text x="${m.margin}" y="${m.margin + m.labelSize}" font-family="${FONT}" font-size="${labelSize}" fill="${ink}" fill-opacity="0.85">${escapeXml(spec.label)}</text>`;
  const promptText = (top: number) => {
    const tspans = fitted.lines
      .map((line, i) => `<tspan x="${m.margin}" y="${(top + fitted.fontSize * 0.95 + i * lineHeight).toFixed(1)}">${escapeXml(line)}</tspan>`)
      .join('');
    return `<text font-family="${FONT}" font-weight="bold" font-size="${fitted.fontSize}" fill="${ink}">${tspans}</text>`;
  };
  const trackRect = (top: number) => `<rect x="0" y="${top}" width="${width}" height="${track}" fill="#000" fill-opacity="0.55"/>`;
  const thumbOverlays = thumbs.map((t) => ({ input: t.input, left: t.left, top: t.top }));

  if (onPicture) {
    const strips: sharp.OverlayOptions[] = [];
    const labelBar = Math.round(m.margin + m.labelSize * 1.6);
    strips.push({ input: svg(width, labelBar, `<rect width="100%" height="100%" fill="#000" fill-opacity="0.35"/>${labelText}`), left: 0, top: 0 });
    if (fitted.lines.length) {
      const pad = Math.round(fitted.fontSize * 0.5);
      const bandTop = Math.max(0, Math.round(blockTop) - pad);
      const bandHeight = Math.min(height - bandTop, Math.round(blockHeight) + 2 * pad);
      const band = `<rect width="100%" height="100%" fill="#000" fill-opacity="0.5"/>${promptText(blockTop - bandTop)}`;
      strips.push({ input: svg(width, bandHeight, band), left: 0, top: bandTop });
    }
    if (track) strips.push({ input: svg(width, track, trackRect(0)), left: 0, top: bottom });
    return { onPicture, textSvg: '', strips, thumbs: thumbOverlays };
  }

  const textSvg = [
    labelText,
    spec.badge
      ? `<text x="${width - m.margin}" y="${m.margin + badgeSize * 0.8}" text-anchor="end" font-family="${FONT}" font-weight="bold" font-size="${badgeSize}" fill="${ink}">${escapeXml(spec.badge)}</text>`
      : '',
    promptText(blockTop),
    track ? trackRect(bottom) : '',
  ].join('');
  return { onPicture, textSvg, strips: [], thumbs: thumbOverlays };
}

/** The colour field: a flat background with two flat discs (shape without gradients, which would cost the encoder). */
function sceneSvg(spec: CardSpec, canvas: Canvas): string {
  const { width, height, palette } = spec;
  const s = canvas.scale;
  const short = Math.min(width, height) * s;
  // Disc positions are relative to the frame, which sits in the canvas centre.
  const ox = (canvas.width - width * s) / 2;
  const oy = (canvas.height - height * s) / 2;
  return [
    `<rect width="100%" height="100%" fill="${palette.background}"/>`,
    `<circle cx="${ox + width * s * 0.85}" cy="${oy + height * s * 0.22}" r="${short * 0.42}" fill="${palette.shade}"/>`,
    `<circle cx="${ox + width * s * 0.08}" cy="${oy + height * s * 0.95}" r="${short * 0.22}" fill="${palette.shade}"/>`,
  ].join('');
}

const svg = (w: number, h: number, body: string) =>
  Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${body}</svg>`);

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
