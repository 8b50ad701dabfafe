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
      const url = options.watermarked ? item.watermark_url : item.url;
      if (typeof url !== 'string' || !url) return;
      const suffix = options.watermarked ? '-watermark' : '';
      outputs.push({ kind, index, url, watermarked: !!options.watermarked, fileName: `${task.task_id}-${index}${suffix}${extensionOf(url, kind)}` });
    });
  }
  return outputs;
}
