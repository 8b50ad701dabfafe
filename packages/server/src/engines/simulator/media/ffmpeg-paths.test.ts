// Binary lookup: environment overrides first, then the npm-installed static builds, which must actually run.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { runProcess } from './run-process.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('ffmpeg paths', () => {
  it('prefers FFMPEG_PATH and FFPROBE_PATH', async () => {
    vi.stubEnv('FFMPEG_PATH', '/opt/ffmpeg/bin/ffmpeg');
    vi.stubEnv('FFPROBE_PATH', '/opt/ffmpeg/bin/ffprobe');
    const paths = await import('./ffmpeg-paths.ts');
    expect(paths.ffmpegPath()).toBe('/opt/ffmpeg/bin/ffmpeg');
    expect(paths.ffprobePath()).toBe('/opt/ffmpeg/bin/ffprobe');
  });

  it('falls back to the installed binaries, which run', async () => {
    vi.stubEnv('FFMPEG_PATH', '');
    vi.stubEnv('FFPROBE_PATH', '');
    const paths = await import('./ffmpeg-paths.ts');
    for (const bin of [paths.ffmpegPath(), paths.ffprobePath()]) {
      expect(bin).toMatch(/node_modules/);
      const { stdout } = await runProcess(bin, ['-version'], { captureStdout: true });
      expect(stdout.toString()).toMatch(/version/);
    }
  });
});
