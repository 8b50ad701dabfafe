// The files a finished task produced, read from `task_result` whatever its lists are called (videos, images, and
// the audio or other lists later families add), each with a file name to save it under.

import type { TaskObject } from '@kiln/contract';

export interface TaskOutput {
  /** The result list it came from, singular: `video`, `image`, … */
  kind: string;
  index: number;
  url: string;
  watermarked: boolean;
  /** `<task_id>-<index>[-watermark].<ext>` */
  fileName: string;
}

const DEFAULT_EXTENSIONS: Record<string, string> = { video: '.mp4', image: '.png', audio: '.mp3' };

function extensionOf(url: string, kind: string): string {
  let pathname = '';
  try {
    pathname = new URL(url).pathname;
  } catch {
    // Not a URL we can parse: fall back to the kind's usual extension.
  }
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(pathname);
  return match ? `.${match[1].toLowerCase()}` : (DEFAULT_EXTENSIONS[kind] ?? '.bin');
}

/** Every output URL of a task; `series_images` repeats `images`, so it is read only when `images` is absent. */
export function taskOutputs(task: TaskObject, options: { watermarked?: boolean } = {}): TaskOutput[] {
  const result = (task.task_result ?? {}) as Record<string, unknown>;
  const outputs: TaskOutput[] = [];
  for (const [list, items] of Object.entries(result)) {
    if (!Array.isArray(items)) continue;
    if (list === 'series_images' && Array.isArray(result.images)) continue;
    const kind = list.replace(/^series_/, '').replace(/s$/, '');
    items.forEach((item: any, position) => {
      if (!item || typeof item !== 'object') return;
      const index = typeof item.index === 'number' ? item.index : position;
      for (const [url, part] of urlsOf(item, !!options.watermarked)) {
        const suffix = part + (options.watermarked ? '-watermark' : '');
        outputs.push({ kind, index, url, watermarked: !!options.watermarked, fileName: `${task.task_id}-${index}${suffix}${extensionOf(url, kind)}` });
      }
    });
  }
  return outputs;
}

/**
 * The URLs of one result item with the file-name part that tells them apart: `url` (videos, images), `url_mp3` and
 * `url_wav` (audios: the extension differs), `url_1`…`url_n` (AI multi-shot views: `-1`, `-2`, …), and the media
 * nested in voices and elements (`trial_url`, `element_image_list.frontal_image`, `refer_images[].image_url`,
 * `refer_videos[].video_url`, `element_voice_info.trial_url`: numbered in that order when there are several).
 */
function urlsOf(item: Record<string, unknown>, watermarked: boolean): [string, string][] {
  if (watermarked) return isUrl(item.watermark_url) ? [[item.watermark_url, '']] : [];
  if (isUrl(item.url)) return [[item.url, '']];
  const found: [string, string][] = [];
  for (const key of ['url_mp3', 'url_wav']) if (isUrl(item[key])) found.push([item[key] as string, '']);
  for (let n = 1; isUrl(item[`url_${n}`]); n++) found.push([item[`url_${n}`] as string, `-${n}`]);
  if (found.length) return found;
  const nested = nestedUrls(item);
  return nested.map((url, n) => [url, nested.length > 1 ? `-${n + 1}` : '']);
}

const isUrl = (u: unknown): u is string => typeof u === 'string' && /^https?:\/\//.test(u);

/** Media URLs anywhere inside an item, under keys that name one (`…_url`, `frontal_image`), watermarks aside. */
function nestedUrls(value: unknown, key = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => nestedUrls(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nestedUrls(v, k));
  const names = key !== 'watermark_url' && (key.endsWith('url') || key === 'frontal_image');
  return names && isUrl(value) ? [value] : [];
}
