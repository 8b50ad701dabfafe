// probeMedia on files whose contents are known, and on a file that is not media at all.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { probeMedia } from './probe.ts';
import { runProcess } from './run-process.ts';
import { testImage } from './test-support.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-probe-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeMedia', () => {
  it('reads codec, size, rate, frames and audio of a clip', async () => {
    const file = join(dir, 'clip.mp4');
    await runProcess(ffmpegPath(), [
      '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=30:duration=2',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '1', '-shortest', file,
    ]);
    const media = await probeMedia(file);
    expect(media.format).toContain('mp4');
    expect(media.durationSeconds).toBeGreaterThan(1.9);
    expect(media.durationSeconds).toBeLessThan(2.1);
    expect(media.video).toEqual({ codec: 'h264', width: 320, height: 240, fps: 30, frames: 60, rotation: 0 });
    expect(media.audio).toEqual({ codec: 'aac', sampleRate: 44100, channels: 1 });
  });

  it('reads a still image as a video stream without audio', async () => {
    const file = join(dir, 'still.png');
    await writeFile(file, Buffer.from(await testImage(64, 32, '#336699'), 'base64'));
    const media = await probeMedia(file);
    expect(media.video).toMatchObject({ codec: 'png', width: 64, height: 32 });
    expect(media.audio).toBeUndefined();
  });

  it('fails with ffprobe’s own reason for a file that is not media', async () => {
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'not media');
    await expect(probeMedia(file)).rejects.toThrow(/^ffprobe exited with code 1:\n.*Invalid data/s);
  });
});
