// Pixel sizes of outputs. Kling documents classes (std = 720p, pro = 1080p, 4k; images 1k/2k/4k) but not exact
// sizes for every ratio, so kiln fixes them here: videos keep the class's short side (16:9 pro = 1920x1080,
// 9:16 std = 720x1280); images keep the class's pixel area (1k = 1024x1024 at 1:1) at the asked ratio.
// Every edge is even (H.264 with yuv420p needs it) and a multiple of 8 for images.

import type { AspectRatio } from './plan.ts';

const VIDEO_SHORT_SIDE = { std: 720, pro: 1080, '4k': 2160 } as const;
const IMAGE_EDGE = { '1k': 1024, '2k': 2048, '4k': 4096 } as const;

export function ratioValue(ratio: AspectRatio): number {
  const [w, h] = ratio.split(':').map(Number);
  return w / h;
}

const even = (x: number) => Math.max(2, Math.round(x / 2) * 2);
const multipleOf8 = (x: number) => Math.max(8, Math.round(x / 8) * 8);

/** Video size for a resolution class and a width/height ratio (from an enum value or an input image). */
export function videoSize(resolution: keyof typeof VIDEO_SHORT_SIDE, widthOverHeight: number) {
  const short = VIDEO_SHORT_SIDE[resolution];
  return widthOverHeight >= 1
    ? { width: even(short * widthOverHeight), height: short }
    : { width: short, height: even(short / widthOverHeight) };
}

/** Image size for a resolution class and a width/height ratio, keeping the class's area. */
export function imageSize(resolution: keyof typeof IMAGE_EDGE, widthOverHeight: number) {
  const edge = IMAGE_EDGE[resolution];
  const height = edge / Math.sqrt(widthOverHeight);
  return { width: multipleOf8(height * widthOverHeight), height: multipleOf8(height) };
}
