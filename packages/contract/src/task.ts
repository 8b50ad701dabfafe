// The task object Kling returns from create, query, list and callbacks (spec §1.4, §1.6, §1.9).

export type TaskStatus = 'submitted' | 'processing' | 'succeed' | 'failed';

export interface VideoResult {
  id: string;
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

export interface TaskResult {
  videos?: VideoResult[];
  audios?: AudioResult[];
  images?: ImageResult[];
  series_images?: ImageResult[];
  result_type?: 'single' | 'series';
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
