// The task record of the new standard (spec new-standard.md §4, §5.3–5.5, §6): what creates, `GET /tasks`,
// `POST /tasks` and callbacks answer. Every kiln task can be shown this way — legacy tasks appear in `/tasks` too,
// as Kling's do (§5.6) — so the record is made from a task's common facts, whichever standard created it.

import type { PackType } from '../family.ts';
import type { TaskStatus } from '../task.ts';

export type NewStandardStatus = 'submitted' | 'processing' | 'succeeded' | 'failed';

/** Legacy spelling → new-standard spelling; `succeed` is never shown on the new standard (§1.6). */
export const NEW_STANDARD_STATUS: Record<TaskStatus, NewStandardStatus> = {
  submitted: 'submitted', processing: 'processing', succeed: 'succeeded', failed: 'failed',
};

export const LEGACY_STATUS: Record<NewStandardStatus, TaskStatus> = {
  submitted: 'submitted', processing: 'processing', succeeded: 'succeed', failed: 'failed',
};

export interface VideoOutput { type: 'video'; id: string; url: string; watermark_url?: string; duration: string }
export interface ImageOutput { type: 'image'; url: string; watermark_url?: string; group_id?: string }
export interface AudioOutput { type: 'audio'; id: string; mp3_url: string; wav_url: string; mp3_duration: string; wav_duration: string }
export interface VoiceOutput { type: 'voice'; id: string; name: string; url: string; owned_by: string; status: 'succeeded' | 'deleted' }
export interface ElementMaterial { type: 'image' | 'video' | 'voice'; role: string; url: string; id?: string; name?: string; owned_by?: string }
export interface ElementOutput {
  type: 'element';
  id: string;
  name: string;
  description: string;
  element_type: 'video_character_elements' | 'multi_image_elements';
  /** Query answers list `references[]` (image roles frontal/reference); callbacks `materials[]` (frontal/refer), §9 C9. */
  references?: ElementMaterial[];
  materials?: ElementMaterial[];
  owned_by: string;
  status: 'succeeded' | 'deleted';
  tags: { id: number; name: string; description: string }[];
}
export type NewStandardOutput = VideoOutput | ImageOutput | AudioOutput | VoiceOutput | ElementOutput;

/** A unit charge (the only kind kiln makes: it bills resource packs, never cash). */
export interface BillingEntry { charge_type: 'unit'; amount: string; package_type: 'video' | 'image' | 'audio' }

export interface NewStandardTask {
  id: string;
  status: NewStandardStatus;
  message: string;
  create_time: number;
  update_time: number;
  /** The caller's `options.external_task_id` (or legacy `external_task_id`); absent when none (LIVE, §5.3). */
  external_id?: string;
  outputs: NewStandardOutput[];
  billing: BillingEntry[];
}

/** What create answers (§4): no outputs; `message: ""` as seen live; `external_id` only when one was sent. */
export type NewStandardCreated = Omit<NewStandardTask, 'outputs' | 'billing'>;

/**
 * A pack's `package_type` and `product_type`. Try-on has its own pack but `package_type` knows only video, image and
 * audio: a try-on charge is shown as `image` (it makes images); `product_type` keeps `try_on` for the filter (§5.2).
 */
export const PACKAGE_TYPE: Record<PackType, BillingEntry['package_type']> = { video: 'video', image: 'image', 'try-on': 'image' };
export const PRODUCT_TYPES = ['video', 'image', 'try_on'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];
export const PACK_OF_PRODUCT: Record<ProductType, PackType> = { video: 'video', image: 'image', try_on: 'try-on' };
