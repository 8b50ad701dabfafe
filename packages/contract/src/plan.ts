// What a task must produce: the outputs an engine renders, derived from the request by each family's `plan`.

/** An image given by the client: an http(s) URL or raw Base64. */
export type ImageSource = string;

export type AspectRatio = '16:9' | '9:16' | '1:1' | '4:3' | '3:4' | '3:2' | '2:3' | '21:9';

export interface Shot {
  prompt: string;
  seconds: number;
}

export type CameraType = 'simple' | 'down_back' | 'forward_up' | 'right_turn_forward' | 'left_turn_forward';
export type CameraAxis = 'horizontal' | 'vertical' | 'pan' | 'tilt' | 'roll' | 'zoom';

/** A camera move (`camera_control`): a named move, or 'simple' with the one non-zero axis and its value (-10..10). */
export interface CameraMove {
  type: CameraType;
  axis?: CameraAxis;
  amount?: number;
}

/** A `video_list` item of omni-video: the video to edit ('base') or to take features from ('feature'). */
export interface ReferenceVideo {
  url: string;
  role: 'base' | 'feature';
  /** keep_original_sound: 'yes' — the output carries the input's audio track (when it has one). */
  keepSound: boolean;
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
  camera?: CameraMove;
  /** With role 'base' the output lasts as long as the input video and starts on its first frame (`seconds` is ignored). */
  referenceVideo?: ReferenceVideo;
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
// The other kinds (audio, talking, sourced and effect videos, voices, elements, views, try-on, expand) join this
// union as `AnyOutputPlan` in plan-more.ts.

const CAMERA_AXES: readonly CameraAxis[] = ['horizontal', 'vertical', 'pan', 'tilt', 'roll', 'zoom'];

/** The plan's view of a validated `camera_control` (rules guarantee one non-zero axis for 'simple'). */
export function cameraMoveOf(
  control: { type: CameraType; config?: null | Partial<Record<CameraAxis, number>> } | undefined,
): CameraMove | undefined {
  if (!control) return undefined;
  if (control.type !== 'simple') return { type: control.type };
  const axis = CAMERA_AXES.find((a) => (control.config?.[a] ?? 0) !== 0);
  return axis ? { type: 'simple', axis, amount: control.config![axis]! } : undefined;
}
