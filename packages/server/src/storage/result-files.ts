// The files a succeeded task shows, by name: what must be in storage before its status says `succeed`.

import { isHandedThrough, type StoredResult } from '../tasks/stored-result.ts';

export function resultFiles(result: StoredResult): string[] {
  const names = new Set<string>();
  // An output handed through (the upstream's URL) is no file of kiln's.
  const add = (name: string | undefined) => { if (name && !isHandedThrough(name)) names.add(name); };
  for (const v of result.videos ?? []) { add(v.file); add(v.watermarkFile); }
  for (const i of result.images ?? []) { add(i.file); add(i.watermarkFile); i.viewFiles?.forEach(add); }
  for (const a of result.audios ?? []) { add(a.mp3File); add(a.wavFile); }
  for (const v of result.voices ?? []) add(v.trialFile);
  for (const e of result.elements ?? []) { e.imageFiles.forEach(add); e.videoFiles.forEach(add); add(e.voice?.trialFile); }
  // The parent video (video-extend, video-to-audio) is another task's output, stored with that task.
  return [...names];
}
