// Request types of the new-standard creates, derived from the contract's model tables: each model's settings
// (resolution, duration, audio, multi_shot, aspect_ratio where it has them) and content item types, so a create for
// `kling-2.6` cannot be written with `resolution: '4k'` or a `refer_image` item.

import type { I2V_MODELS, MOTION_MODELS, OMNI_MODELS, T2V_MODELS } from '@kiln/contract';

type Values<T> = T extends readonly (infer V)[] ? V : never;

/** `settings` of a model, from its capability entry. */
export type SettingsOf<C> = {
  resolution?: C extends { resolutions: infer R } ? Values<R> : never;
  seed?: number;
} & (C extends { durations: infer D } ? { duration?: Values<D> | `${Values<D> & number}` } : {})
  & (C extends { audio: infer A } ? { audio?: Values<A> } : {})
  & (C extends { multiShot: 'setting' } ? { multi_shot?: boolean } : {})
  & (C extends { aspectRatio: true } ? { aspect_ratio?: '16:9' | '9:16' | '1:1' } : {});

interface ItemShapes {
  prompt: { type: 'prompt'; text: string };
  first_frame: { type: 'first_frame'; url: string; id?: string };
  last_frame: { type: 'last_frame'; url: string; id?: string };
  refer_image: { type: 'refer_image'; url: string; id?: string };
  feature_video: { type: 'feature_video'; url: string; id?: string };
  base_video: { type: 'base_video'; url: string; id?: string };
  element: { type: 'element'; element_id: string | number; id: string };
  voice: { type: 'voice'; voice_id: string; id: string };
  image: { type: 'image'; url: string };
  video: { type: 'video'; url: string };
}

/** The `contents[]` items a model takes. */
export type ContentOf<C> = C extends { contentTypes: infer T } ? ItemShapes[Values<T> & keyof ItemShapes] : never;

export interface NewStandardOptions {
  callback_url?: string;
  /** Unique in the account across both standards; the SDK makes one when none is given (see ClientOptions). */
  external_task_id?: string;
  watermark_info?: { enabled: boolean };
}

export type TextToVideoModel = keyof typeof T2V_MODELS;
export type ImageToVideoModel = keyof typeof I2V_MODELS;
export type OmniVideoModel = keyof typeof OMNI_MODELS;
export type MotionControlModel = keyof typeof MOTION_MODELS;

export interface TextToVideoRequest<M extends TextToVideoModel> {
  prompt: string;
  settings?: SettingsOf<(typeof T2V_MODELS)[M]>;
  options?: NewStandardOptions;
}

export interface ContentsRequest<C, S = SettingsOf<C>> {
  contents: ContentOf<C>[];
  settings?: S;
  options?: NewStandardOptions;
}

export type ImageToVideoRequest<M extends ImageToVideoModel> = ContentsRequest<(typeof I2V_MODELS)[M]>;
export type OmniVideoRequest<M extends OmniVideoModel> = ContentsRequest<(typeof OMNI_MODELS)[M]>;
export type MotionControlRequest<M extends MotionControlModel> = ContentsRequest<
  (typeof MOTION_MODELS)[M],
  SettingsOf<(typeof MOTION_MODELS)[M]> & { character_orientation: 'image' | 'video' }
>;
