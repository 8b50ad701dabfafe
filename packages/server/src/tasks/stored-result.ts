// What an engine leaves behind for a succeeded task: file names under the task's media folder. URLs are made
// from these when the task is shown, so they can be re-signed and follow the public base URL.

export interface StoredVideo {
  id: string;
  file: string;
  watermarkFile?: string;
  seconds: number;
}

export interface StoredImage {
  index: number;
  file: string;
  watermarkFile?: string;
  /** AI multi-shot: the set's views, shown as `url_1`…`url_n` instead of `url` (`file` is the first of them). */
  viewFiles?: string[];
}

export interface StoredAudio {
  id: string;
  mp3File: string;
  wavFile: string;
  seconds: number;
}

/** The video a task was made from (video-to-audio, video-extend): shown as `task_info.parent_video`. */
export interface ParentVideo {
  /** The Kling video id; empty for an uploaded `video_url`. */
  id: string;
  seconds: number;
  /** A stored output: served from kiln, signed like the task's own files. */
  taskId?: string;
  file?: string;
  /** When the stored parent's URLs stop working (ms). */
  expiresAt?: number;
  /** An uploaded video: its URL as the client gave it. */
  url?: string;
}

export interface StoredResult {
  parentVideo?: ParentVideo;
  videos?: StoredVideo[];
  images?: StoredImage[];
  audios?: StoredAudio[];
  /** Image series are also listed under `series_images` (omni-image, result_type series). */
  series?: boolean;
}
