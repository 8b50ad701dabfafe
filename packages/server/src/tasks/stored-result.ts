// What an engine leaves behind for a succeeded task: file names under the task's media folder. URLs are made
// from these when the task is shown, so they can be re-signed and follow the public base URL.

import path from 'node:path';

/**
 * A file name that is an http(s) URL is an output handed through, not kept: the relay's `--results passthrough`
 * shows the upstream's own URL (which lasts as long as the upstream keeps it) instead of a file in kiln's storage.
 */
export const isHandedThrough = (file: string): boolean => /^https?:\/\//i.test(file);

/** The id a relayed output, voice or element has on the upstream account that made it (kiln's is `id`). */
interface UpstreamMade {
  upstreamId?: string;
}

export interface StoredVideo extends UpstreamMade {
  id: string;
  /** Multi-elements: the editing session the video was made in, shown as `session_id`. */
  sessionId?: string;
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

export interface StoredAudio extends UpstreamMade {
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

/** A voice a task shows: one it cloned (custom-voices, a video element's speech) or one an element binds. */
export interface StoredVoice extends UpstreamMade {
  id: string;
  name: string;
  /** The trial MP3, a file of this task. */
  trialFile: string;
  /** A preset voice (owned by "kling"); otherwise one of the tenant's own. */
  preset?: boolean;
  /** Cloned by this task: it becomes one of the tenant's custom voices when the task succeeds. */
  made?: boolean;
}

/** A custom element (advanced-custom-elements); its media are files of this task. */
export interface StoredElement extends UpstreamMade {
  id: string;
  name: string;
  description: string;
  referenceType: 'image_refer' | 'video_refer';
  /** image_refer: the frontal image, then the other views. */
  imageFiles: string[];
  /** video_refer: the reference video. */
  videoFiles: string[];
  voice?: StoredVoice;
  /** tag_list, with the names Kling's library gives the tag ids. */
  tags: { id: string; name: string }[];
  /** Set by delete-elements: the task then shows the element as `deleted`. */
  deleted?: boolean;
}

export interface StoredResult {
  parentVideo?: ParentVideo;
  voices?: StoredVoice[];
  elements?: StoredElement[];
  videos?: StoredVideo[];
  images?: StoredImage[];
  audios?: StoredAudio[];
  /** Image series are also listed under `series_images` (omni-image, result_type series). */
  series?: boolean;
}

/** The one video of a task (its id is the task's), from a renderer's output paths. */
export function storedVideo(taskId: string, out: { file: string; watermarkFile?: string; seconds: number }, extra: { sessionId?: string } = {}): StoredVideo {
  const watermarkFile = out.watermarkFile && path.basename(out.watermarkFile);
  return { id: taskId, ...extra, file: path.basename(out.file), ...(watermarkFile ? { watermarkFile } : {}), seconds: out.seconds };
}
