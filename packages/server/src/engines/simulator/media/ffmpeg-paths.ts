// Where the ffmpeg and ffprobe binaries are: FFMPEG_PATH / FFPROBE_PATH win, else the npm-installed static builds.

import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';

// The installer packages are CommonJS and throw on unsupported platforms at require time, so they are loaded
// lazily: a machine that sets both environment variables never needs them.
const require = createRequire(import.meta.url);

let ffmpeg: string | undefined;
let ffprobe: string | undefined;

/** The ffmpeg binary to run. */
export function ffmpegPath(): string {
  ffmpeg ??= resolveBinary('FFMPEG_PATH', '@ffmpeg-installer/ffmpeg');
  return ffmpeg;
}

/** The ffprobe binary to run. */
export function ffprobePath(): string {
  ffprobe ??= resolveBinary('FFPROBE_PATH', '@ffprobe-installer/ffprobe');
  return ffprobe;
}

function resolveBinary(envName: string, installer: string): string {
  const fromEnv = process.env[envName]?.trim();
  if (fromEnv) return fromEnv;
  let path: string;
  try {
    path = (require(installer) as { path: string }).path;
  } catch (err) {
    // @ffmpeg-installer throws a bare string, not an Error.
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`${installer} is not usable here (${reason}); set ${envName} to a binary`);
  }
  ensureExecutable(path);
  return path;
}

// @ffprobe-installer's binary only becomes executable in its postinstall script, which `npm install
// --ignore-scripts` (and some CI caches) skip; doing the same chmod here keeps those installs working.
function ensureExecutable(path: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    try {
      chmodSync(path, statSync(path).mode | 0o100);
    } catch (err) {
      throw new Error(`${path} is not executable and chmod failed: ${(err as Error).message}`);
    }
  }
}
