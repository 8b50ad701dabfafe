// Image Recognize's masks (spec §2.11), simulated: fixed shapes of a centred portrait at the image's own size, as
// greyscale PNGs (255 = the part, 0 = the rest). A person is "found" in portrait and square images; in landscape
// images only the subject is, and the person masks come back empty with is_contain false.

import sharp from 'sharp';

export const SEGMENT_TYPES = ['object_seg', 'head_seg', 'face_seg', 'cloth_seg'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

export interface Segment {
  type: SegmentType;
  isContain: boolean;
  png: Buffer;
}

/** Whether the simulator "sees" a person: the image is at least as tall as it is wide. */
export const showsPerson = (width: number, height: number) => height >= width;

export async function segmentImage(width: number, height: number): Promise<Segment[]> {
  const person = showsPerson(width, height);
  const s = Math.min(width, height);
  const cx = width / 2;
  // Head: an ellipse in the upper third; face: the same without the hair (lower, smaller); clothes: the torso below.
  const head = { cx, cy: height * 0.3, rx: s * 0.17, ry: s * 0.21 };
  const face = { cx, cy: height * 0.33, rx: s * 0.12, ry: s * 0.15 };
  const neck = head.cy + head.ry;
  const cloth = `M ${cx - s * 0.36} ${height} L ${cx - s * 0.3} ${neck + s * 0.06} Q ${cx} ${neck - s * 0.04} ${cx + s * 0.3} ${neck + s * 0.06} L ${cx + s * 0.36} ${height} Z`;
  const shapes: Record<SegmentType, string> = {
    // The subject: the whole figure (head, neck, torso), or the central object of a landscape image.
    object_seg: person
      ? `${ellipse(head)}<rect x="${cx - s * 0.07}" y="${head.cy}" width="${s * 0.14}" height="${s * 0.3}"/><path d="${cloth}"/>`
      : ellipse({ cx, cy: height / 2, rx: width * 0.3, ry: height * 0.35 }),
    head_seg: person ? ellipse(head) : '',
    face_seg: person ? ellipse(face) : '',
    cloth_seg: person ? `<path d="${cloth}"/>` : '',
  };
  return Promise.all(SEGMENT_TYPES.map(async (type) => ({
    type,
    isContain: shapes[type] !== '',
    png: await maskSvgToPng(width, height, shapes[type]),
  })));
}

function ellipse(e: { cx: number; cy: number; rx: number; ry: number }): string {
  return `<ellipse cx="${e.cx}" cy="${e.cy}" rx="${e.rx}" ry="${e.ry}"/>`;
}

async function maskSvgToPng(width: number, height: number, shapes: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`
    + `<rect width="100%" height="100%" fill="black"/><g fill="white" shape-rendering="crispEdges">${shapes}</g></svg>`;
  // A pure 0/255 greyscale PNG: threshold away the anti-aliased edge so the mask is binary.
  return sharp(Buffer.from(svg)).greyscale().threshold(128).toColourspace('b-w').png().toBuffer();
}
