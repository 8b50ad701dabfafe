// Joins separately encoded shots into one MP4 without re-encoding (ffmpeg's concat demuxer), adding the soundtrack.

import { writeFile } from 'node:fs/promises';
import { CONTAINER_ARGS } from './encode-settings.ts';

export interface JoinSpec {
  /** The concat list file, written by writeJoinList. */
  list: string;
  /** An AAC file to stream-copy as the soundtrack; none means no audio stream at all. */
  audioFile?: string;
  out: string;
}

/**
 * The concat demuxer's list: one `file` line per part, in order. Parts must share codec, size, frame rate and
 * encoder settings (they come from one GraphSpec), so their streams join into one valid H.264 stream.
 */
export function joinList(parts: readonly string[]): string {
  // Single quotes delimit the path; a quote inside it is written as '\'' as the demuxer expects.
  return parts.map((p) => `file '${p.replace(/'/g, `'\\''`)}'\n`).join('');
}

export async function writeJoinList(file: string, parts: readonly string[]): Promise<void> {
  await writeFile(file, joinList(parts));
}

/** ffmpeg arguments that copy the parts' video, and the soundtrack if any, into one MP4. */
export function joinArgs(spec: JoinSpec): string[] {
  const audio = spec.audioFile === undefined ? [] : ['-i', spec.audioFile];
  return [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    // -safe 0: the parts are absolute paths in the render's own work folder.
    '-f', 'concat', '-safe', '0', '-i', spec.list,
    ...audio,
    '-map', '0:v', ...(audio.length ? ['-map', '1:a'] : []),
    '-c', 'copy', '-map_metadata', '-1',
    ...CONTAINER_ARGS, spec.out,
  ];
}
