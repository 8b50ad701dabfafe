// What a task must produce: the outputs an engine renders, derived from the request by each family's `plan`.

/** An image given by the client: an http(s) URL or raw Base64. */
export type ImageSource = string;

export type AspectRatio = '16:9' | '9:16' | '1:1' | '4:3' | '3:4' | '3:2' | '2:3' | '21:9';

export interface Shot {
  prompt: string;
  seconds: number;
}

export interface VideoPlan {
  kind: 'video';
  /** Output class: 'std' 720p, 'pro' 1080p, '4k' 2160p (short side). */
  resolution: 'std' | 'pro' | '4k';
  /** An explicit aspect ratio, or null to follow the first-frame image. */
  aspectRatio: AspectRatio | null;
  seconds: number;
  fps: number;
  audio: boolean;
  prompt: string;
  shots: Shot[];
  firstFrame?: ImageSource;
  lastFrame?: ImageSource;
  references: ImageSource[];
  watermark: boolean;
}

export interface ImagePlan {
  kind: 'image';
  resolution: '1k' | '2k' | '4k';
  /** An explicit aspect ratio, or null to follow the first reference image (1:1 when there is none). */
  aspectRatio: AspectRatio | null;
  count: number;
  /** Series results are listed under `series_images` as well as `images`. */
  series: boolean;
  prompt: string;
  references: ImageSource[];
  watermark: boolean;
}

export type OutputPlan = VideoPlan | ImagePlan;
