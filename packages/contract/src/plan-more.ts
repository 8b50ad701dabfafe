// The outputs of the families beyond plain video and image generation: audio, talking/lip-synced and effect videos,
// videos made from another video, voices, elements, multi-view sets, try-on and outpainting. Like plan.ts, each plan
// says what the simulator must render; where a length depends on stored or uploaded media the plan names that media
// and the engine resolves it.

import type { ImageSource, OutputPlan, VideoPlan } from './plan.ts';

/** Media a plan depends on: a stored Kling video or TTS audio, an uploaded URL/Base64 file, or an editing session. */
export type MediaRef =
  | { videoId: string }
  /** `field`: the request field the URL came from, as a failure names it; `video_url` when not given. */
  | { videoUrl: string; field?: string }
  | { audioId: string }
  | { soundFile: string }
  /** The video a multi-elements (init-selection) or lip-sync (identify-face) session was opened on. */
  | { sessionId: string };

/**
 * A video made from another one. Its length is the source's own (motion control), the source's plus an extension
 * (video-extend: the result is the whole extended video), or fixed (multi-elements: 5 or 10 s).
 */
export interface SourcedVideoPlan extends Omit<VideoPlan, 'kind' | 'seconds'> {
  kind: 'sourced-video';
  source: MediaRef;
  length: { from: 'source'; maxSeconds: number } | { from: 'source-plus'; addSeconds: number; maxSeconds: number } | { from: 'fixed'; seconds: number };
  /**
   * What follows the source instead of `resolution`/`aspectRatio`/`fps`: everything (video-extend inherits the parent's
   * model and mode), the frame (multi-elements edits the session's video: its aspect ratio and frame rate), or nothing.
   */
  inherit: 'all' | 'frame' | 'none';
  /** Motion control `keep_original_sound`: the source's sound track is kept in the output. */
  keepSourceSound: boolean;
  /** Multi-elements: what the edit does to the session's video (`references` are the images added or swapped in). */
  editMode?: 'addition' | 'swap' | 'removal';
}

/** Speech read by a TTS voice (old lip-sync text2video), as TTS makes it. */
export interface SpeechRef {
  speech: { text: string; voiceId: string; language: 'zh' | 'en'; speed: number };
}

/**
 * A talking video: a portrait driven by a sound (avatar: as long as the sound) or a session's video whose face gets
 * new lip movements (lip-sync: as long as the video, the clip inserted at `clip.insertMs`; old lip-sync: a video's
 * face speaks a sound or a text from its start, as long as the video).
 */
export interface TalkingVideoPlan {
  kind: 'talking-video';
  /** Avatar: the mode's class; lip-sync: null, the output keeps the session video's size and frame rate. */
  resolution: 'std' | 'pro' | null;
  fps: number | null;
  /** The sound spoken: stored or uploaded, or (old lip-sync text2video) speech to synthesize. */
  audio: MediaRef | SpeechRef;
  /** Old lip-sync: the video whose face speaks (a Kling video_id or an uploaded video_url). */
  video?: MediaRef;
  length: { from: 'audio'; maxSeconds: number } | { from: 'source'; maxSeconds: number };
  /** Avatar: the portrait. */
  image?: ImageSource;
  /** Lip-sync: the identify-face session and the face that speaks. */
  sessionId?: string;
  faceId?: string;
  /** Lip-sync: the part of the sound used (ms from its start), where it goes in the video, and the two volumes. */
  clip?: { startMs: number; endMs: number; insertMs: number; volume: number; originalVolume: number };
  prompt: string;
  watermark: boolean;
}

/** An effect video that shows the input images (one, or two side by side for dual-image scenes). */
export interface EffectVideoPlan {
  kind: 'effect-video';
  scene: string;
  images: ImageSource[];
  resolution: 'std' | 'pro';
  seconds: number;
  fps: number;
  watermark: boolean;
}

/**
 * Audio, listed under `task_result.audios` (text/video-to-audio: mp3 and wav; TTS: one mp3). Its length is given,
 * or follows `follows` (video-to-audio: the input video's), or is estimated from the text (TTS: `speech`).
 */
export interface AudioPlan {
  kind: 'audio';
  seconds: number | null;
  follows?: MediaRef;
  formats: readonly ('mp3' | 'wav')[];
  prompt: string;
  /** Video-to-audio also returns the input video with the new sound track (`task_result.videos`). */
  dubVideo: boolean;
  speech?: { text: string; voiceId: string; language: 'zh' | 'en'; speed: number };
  /** Video-to-audio: background music and sound-effect prompts, ASMR mode. */
  bgmPrompt?: string;
  asmr?: boolean;
}

/** A cloned voice (`task_result.voices`) with a trial audio made from the source recording. */
export interface VoicePlan {
  kind: 'voice';
  name: string;
  source: { voiceUrl: string } | { videoId: string };
  trialSeconds: number;
}

/** A custom element (`task_result.elements`): its images or video are kept as given; a video may bring a voice. */
export interface ElementPlan {
  kind: 'element';
  name: string;
  description: string;
  referenceType: 'image_refer' | 'video_refer';
  /** Frontal image first, then the reference images (image_refer). */
  images: ImageSource[];
  /** The reference video (video_refer). */
  videos: string[];
  voiceId?: string;
  tags: string[];
}

/** AI multi-shot: `sets` result sets, each with `views` other angles of the subject (`images[{index, url_1..url_n}]`). */
export interface MultiViewPlan {
  kind: 'multi-view';
  frontal: ImageSource;
  sets: number;
  views: number;
}

/** Virtual try-on: the person wearing the garment, at the person image's size. */
export interface TryOnPlan {
  kind: 'try-on';
  person: ImageSource;
  /** Absent when the client sent none ([OFF-old] lists cloth_image as optional): the person is shown as is. */
  garment?: ImageSource;
  count: number;
  watermark: boolean;
}

export interface ExpansionRatios {
  up: number;
  down: number;
  left: number;
  right: number;
}

/** Outpainting: the source image in the middle of a larger canvas (see `expandedSize`). */
export interface ExpandPlan {
  kind: 'expand';
  image: ImageSource;
  ratios: ExpansionRatios;
  count: number;
  prompt: string;
  watermark: boolean;
}

/** Every kind of plan. */
export type MorePlan =
  | SourcedVideoPlan | TalkingVideoPlan | EffectVideoPlan | AudioPlan | VoicePlan | ElementPlan | MultiViewPlan | TryOnPlan | ExpandPlan;
export type AnyOutputPlan = OutputPlan | MorePlan;

/** The size of an expanded image: up/down are multiples of the height, left/right of the width (spec §5.4). */
export function expandedSize(width: number, height: number, r: ExpansionRatios): { width: number; height: number } {
  return { width: Math.round(width * (1 + r.left + r.right)), height: Math.round(height * (1 + r.up + r.down)) };
}

/**
 * TTS returns the audio's real length; the simulator needs one up front. Kiln reads 4 words (or 5 CJK characters) a
 * second at speed 1, at least 1 s: close to natural speech, and deterministic.
 */
export function speechSeconds(text: string, speed: number): number {
  const cjk = (text.match(/[\u3400-\u9fff\uf900-\ufaff]/g) ?? []).length;
  const words = text.replace(/[\u3400-\u9fff\uf900-\ufaff]/g, ' ').split(/\s+/).filter(Boolean).length;
  const seconds = (words / 4 + cjk / 5) / (speed > 0 ? speed : 1);
  return Math.max(1, Math.round(seconds * 10) / 10);
}
