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
}

export interface StoredAudio {
  id: string;
  mp3File: string;
  wavFile: string;
  seconds: number;
}

export interface StoredResult {
  videos?: StoredVideo[];
  images?: StoredImage[];
  audios?: StoredAudio[];
  /** Image series are also listed under `series_images` (omni-image, result_type series). */
  series?: boolean;
}
