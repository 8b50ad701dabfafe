// The task object Kling returns from create, query, list and callbacks (spec §1.4, §1.6, §1.9).

export type TaskStatus = 'submitted' | 'processing' | 'succeed' | 'failed';

export interface VideoResult {
  id: string;
  /** Multi-elements: the editing session the video was made in. */
  session_id?: string;
  url: string;
  watermark_url?: string;
  duration: string;
}

export interface ImageResult {
  index: number;
  url: string;
  watermark_url?: string;
}

/** An AI multi-shot result set: the subject seen from other angles, `url_1`…`url_n` (spec §4.3). */
export interface MultiViewResult {
  index: number;
  [view: `url_${number}`]: string;
}

export interface AudioResult {
  id: string;
  url_mp3: string;
  url_wav: string;
  duration_mp3: string;
  duration_wav: string;
}

/** A voice (spec §4.1): `owned_by` is "kling" for a preset voice, the creator's numeric id for a custom one. */
export interface VoiceResult {
  voice_id: string;
  voice_name: string;
  trial_url: string;
  owned_by: string;
}

/** A custom element (spec §4.2). The lists of the other reference type, and an unbound voice, are `{}`. */
export interface ElementResult {
  /** Custom element ids have 18–19 digits, past a JSON number's exact range: kiln sends them as strings. */
  element_id: string | number;
  element_name: string;
  element_description: string;
  reference_type: 'image_refer' | 'video_refer';
  element_image_list: { frontal_image?: string; refer_images?: { image_url: string }[] };
  element_video_list: { refer_videos?: { video_url: string }[] };
  element_voice_info: VoiceResult | Record<string, never>;
  tag_list: { tag_id: string; tag_name: string }[];
  owned_by: string;
  status: 'succeed' | 'deleted';
}

export interface TaskResult {
  videos?: VideoResult[];
  audios?: AudioResult[];
  images?: ImageResult[];
  series_images?: ImageResult[];
  result_type?: 'single' | 'series';
  voices?: VoiceResult[];
  elements?: ElementResult[];
}

export interface TaskObject {
  task_id: string;
  task_status: TaskStatus;
  task_status_msg?: string;
  /** `parent_video`: the input video of video-to-audio and video-extend tasks. */
  task_info: { external_task_id?: string | null; parent_video?: { id: string; url: string; duration: string } };
  task_result?: TaskResult;
  watermark_info?: { enabled: boolean };
  final_unit_deduction?: string;
  created_at: number;
  updated_at: number;
}

/** What create answers: the task without results (spec §1.4). */
export type CreatedTask = Pick<TaskObject, 'task_id' | 'task_status' | 'task_info' | 'created_at' | 'updated_at'>;

export const TERMINAL_STATUSES: readonly TaskStatus[] = ['succeed', 'failed'];
export const isTerminal = (status: TaskStatus) => TERMINAL_STATUSES.includes(status);
