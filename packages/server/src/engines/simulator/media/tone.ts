// The soundtrack for videos with audio: a soft two-note chord, AAC-encoded once per duration and then reused.

import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIO_SAMPLE_RATE } from './encode-settings.ts';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { runProcess } from './run-process.ts';

// Encoding AAC costs about as much as a third of a 1080p video encode, yet the tone never changes: each length is
// encoded once into a cache and stream-copied into every video after that. Bump the version when the sound changes.
const VERSION = 'v1';
const cacheDir = join(tmpdir(), `kiln-media-${process.getuid?.() ?? 'user'}`);
const pending = new Map<string, Promise<string>>();

/** Path of an AAC (.m4a) stereo tone exactly `seconds` long. */
export async function toneFile(seconds: number): Promise<string> {
  const ms = Math.round(seconds * 1000);
  const file = join(cacheDir, `tone-${VERSION}-${AUDIO_SAMPLE_RATE}-${ms}ms.m4a`);
  // Checked on every call, not remembered: the system may clean the temporary directory at any time.
  if (await exists(file)) return file;
  let job = pending.get(file);
  if (!job) {
    // Concurrent renders of the same length share one encode. It takes no abort signal: one task's cancellation
    // must not fail the others waiting on it, and it is over in a fraction of a second anyway.
    job = encodeTone(file, ms / 1000).finally(() => pending.delete(file));
    pending.set(file, job);
  }
  return job;
}

async function encodeTone(file: string, seconds: number): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  // Written under a unique name and renamed into place, so a concurrent process never reads half a file.
  const partial = `${file}.${process.pid}.${Date.now()}.partial`;
  const fade = Math.min(0.3, seconds / 4);
  try {
    await runProcess(
      ffmpegPath(),
      [
        '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
        '-f', 'lavfi',
        // A3 and E4 (a fifth), quiet, with the upper note slightly louder on the right for a little width.
        '-i', `aevalsrc=0.12*sin(2*PI*220*t)+0.05*sin(2*PI*329.63*t)|0.10*sin(2*PI*220*t)+0.07*sin(2*PI*329.63*t):c=stereo:s=${AUDIO_SAMPLE_RATE}:d=${seconds}`,
        '-af', `afade=t=in:d=${fade},afade=t=out:st=${seconds - fade}:d=${fade}`,
        '-c:a', 'aac', '-b:a', '128k', '-f', 'mp4', partial,
      ],
    );
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return file;
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}
