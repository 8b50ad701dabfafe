// Inputs for the synchronous endpoints' tests: real videos and images made with ffmpeg/sharp, a loopback file server
// for `video_url`/`image` URLs, stored Kling videos for `video_id`, and readers for the media a call answers with.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { ffmpegPath } from '../../packages/server/src/engines/simulator/media/ffmpeg-paths.ts';
import { probeMedia, type ProbedMedia } from '../../packages/server/src/engines/simulator/media/probe.ts';
import { runProcess } from '../../packages/server/src/engines/simulator/media/run-process.ts';
import { newTaskId } from '../../packages/server/src/tasks/ids.ts';
import { addOutput } from '../../packages/server/src/store/outputs.ts';
import { setSessionExpiry } from '../../packages/server/src/store/sessions.ts';
import { tempDir, type TestServer } from './test-server.ts';

export interface VideoSpec {
  seconds: number;
  width?: number;
  height?: number;
  fps?: number;
  /** mp4 (H.264) by default; mkv to send something that is not MP4/MOV. */
  container?: 'mp4' | 'mov' | 'mkv';
  audio?: boolean;
}

const made = new Map<string, Promise<string>>();

/** A test pattern video of the asked facts, made once per spec for the whole test file. */
export function makeVideo(spec: VideoSpec): Promise<string> {
  const { seconds, width = 1280, height = 720, fps = 24, container = 'mp4', audio = false } = spec;
  const name = `v-${seconds}-${width}x${height}-${fps}${audio ? '-a' : ''}.${container}`;
  let job = made.get(name);
  if (!job) {
    const file = path.join(videoDir, name);
    job = runProcess(ffmpegPath(), [
      '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=s=${width}x${height}:r=${fps}:d=${seconds}`,
      ...(audio ? ['-f', 'lavfi', '-i', `sine=f=330:d=${seconds}`, '-c:a', 'aac', '-shortest'] : []),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file,
    ]).then(() => file);
    made.set(name, job);
  }
  return job;
}
const videoDir = tempDir('kiln-action-videos-');

/** A JPEG or PNG of the given size. */
export function makeImage(width: number, height: number, format: 'png' | 'jpeg' | 'webp' = 'png'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } }).toFormat(format).toBuffer();
}

export interface FileServer {
  /** A URL that serves `file` (a path, or bytes), its path ending in `ext` (the file's own by default). */
  urlOf: (file: string | Buffer, ext?: string) => string;
  /** A URL that answers 404. */
  missing: string;
  close: () => Promise<void>;
  served: Map<string, Buffer | string>;
}

/** Serves registered files (paths or buffers) on loopback. */
export async function startFileServer(): Promise<FileServer> {
  const served = new Map<string, Buffer | string>();
  const server = http.createServer((req, res) => {
    const body = served.get(req.url ?? '');
    if (body === undefined) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.end(typeof body === 'string' ? fs.readFileSync(body) : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let n = 0;
  return {
    served,
    urlOf: (file, ext) => {
      const route = `/f${++n}${ext ?? (typeof file === 'string' ? path.extname(file) : '.bin')}`;
      served.set(route, file);
      return base + route;
    },
    missing: `${base}/nothing-here.mp4`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Stores `file` as a video output of the tenant (as a finished task would), `ageDays` old; answers its video id. */
export async function storeVideo(server: TestServer, tenantId: string, file: string, ageDays = 0): Promise<string> {
  const taskId = newTaskId();
  const id = newTaskId();
  const dir = path.join(server.dataDir, 'media', taskId);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(file, path.join(dir, 'video.mp4'));
  const seconds = (await probeMedia(file)).durationSeconds;
  await addOutput(server.kiln.db, {
    id, tenant_id: tenantId, task_id: taskId, kind: 'video', seconds, file: 'video.mp4',
    created_at: Date.now() - ageDays * 24 * 3600 * 1000,
  });
  return id;
}

/** Downloads a URL kiln answered with. */
export async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Downloads a URL to a temporary file and probes it. */
export async function probeUrl(url: string): Promise<ProbedMedia & { file: string; bytes: number }> {
  const bytes = await download(url);
  const file = path.join(tempDir('kiln-probe-'), path.basename(new URL(url).pathname));
  fs.writeFileSync(file, bytes);
  return { ...(await probeMedia(file)), file, bytes: bytes.length };
}

/** A PNG's size and single-channel pixels (0/255 masks). */
export async function pngPixels(png: Buffer): Promise<{ width: number; height: number; format: string; pixels: Buffer }> {
  const meta = await sharp(png).metadata();
  const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, format: meta.format ?? '', pixels: data };
}

/** Ages a session past its 24 h. */
export async function expireSession(server: TestServer, sessionId: string): Promise<void> {
  await setSessionExpiry(server.kiln.db, sessionId, Date.now() - 1000);
}
