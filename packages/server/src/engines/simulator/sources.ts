// Where a plan's input media comes from, as a local file with its length: a stored output the request names by id
// (checked at create, looked up again here) or an uploaded URL/Base64 file, probed and held to the family's length
// window. A failure here names the field and fails the task (TaskFailure), as Kling reports a bad input.

import { access, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mediaLimitBroken, SOUND_FILE_LIMITS, type MediaRef, type SpeechRef } from '@kiln/contract';
import type { SessionRow } from '../../store/sessions.ts';
import type { CustomVoice } from '../../store/custom-assets.ts';
import type { ParentVideo } from '../../tasks/stored-result.ts';
import { TaskFailure } from '../engine.ts';

export interface StoredMedia {
  file: string;
  taskId: string;
  name: string;
  seconds: number;
  expiresAt: number;
}

export interface RenderContext {
  taskId: string;
  family: string;
  /** The request's model and mode, which a video names on its frames. */
  renderedAs?: { model?: string; mode?: string };
  outputDir: string;
  fetchImage: (url: string) => Promise<Buffer>;
  fetchVideo: (url: string) => Promise<Buffer>;
  /** An uploaded sound (URL), at most SOUND_FILE_LIMITS.maxBytes (5 MB) as Kling documents. */
  fetchAudio: (url: string) => Promise<Buffer>;
  /** A video or audio the request names by id: the caller's own stored output. */
  stored: (kind: 'video' | 'audio', id: string) => Promise<StoredMedia | undefined>;
  /** One of the task tenant's custom voices (element_voice_id), deleted or not; another tenant's is not found. */
  customVoice: (id: string) => Promise<CustomVoice | undefined>;
  /** An editing session the request names (multi-elements, lip-sync): the task tenant's own, with its video's path. */
  session: (id: string) => Promise<{ row: SessionRow; file: string } | undefined>;
}

/** A session's video as a render reads it: the file, the session (its frame facts and state), the parent to show. */
export interface SessionSource {
  file: string;
  row: SessionRow;
  parent: ParentVideo;
}

const media = () => import('./media/index.ts');

// Video-to-audio takes 3–20 s videos (spec §3.2), the default window; a container may round a length up by a frame or two.
const SOURCE_SECONDS: readonly [number, number] = [3, 20];
const LENGTH_SLACK_S = 0.05;

export async function sourceVideo(ref: MediaRef, ctx: RenderContext, window: readonly [number, number] = SOURCE_SECONDS): Promise<{ file: string; seconds: number; uploaded: boolean; parent: ParentVideo }> {
  const { probeMedia } = await media();
  if ('videoId' in ref) {
    const stored = await ctx.stored('video', ref.videoId);
    if (!stored) throw new TaskFailure(`video_id: the video '${ref.videoId}' is no longer available`);
    const parent = { id: ref.videoId, seconds: stored.seconds, taskId: stored.taskId, file: stored.name, expiresAt: stored.expiresAt };
    return { file: stored.file, seconds: stored.seconds, uploaded: false, parent };
  }
  if (!('videoUrl' in ref)) throw new Error('video-to-audio follows a video');
  const file = path.join(ctx.outputDir, 'source-upload');
  // Failures name the field the request used: `video_url` on /v1, `contents[i].url` on the new standard.
  const field = ref.field ?? 'video_url';
  // A download that fails is the input's fault, named as every family names it (`video_url: could not download`).
  const bytes = await ctx.fetchVideo(ref.videoUrl).catch((error: Error) => {
    throw error instanceof TaskFailure ? error : new TaskFailure(`${field}: could not download (${error.message})`);
  });
  await writeFile(file, bytes);
  const probed = await probeMedia(file).catch(() => undefined);
  if (!probed?.video) throw new TaskFailure(`${field}: not a readable video (mp4 or mov expected)`);
  const seconds = probed.durationSeconds;
  if (seconds < window[0] - LENGTH_SLACK_S || seconds > window[1] + LENGTH_SLACK_S) {
    await rm(file, { force: true });
    throw new TaskFailure(`${field}: the video lasts ${Math.round(seconds * 100) / 100} s; it must last ${window[0]}–${window[1]} s`);
  }
  return { file, seconds, uploaded: true, parent: { id: '', seconds: Math.round(seconds * 100) / 100, url: ref.videoUrl } };
}

/**
 * The session a task names, looked up again when it renders. The create checked it (own, of the family's kind, not
 * expired; a session never changes kind); a session that expired since is still rendered (its files are kept a week
 * past expiry for such tasks), but one that is gone fails the task by name.
 */
export async function sourceSession(id: string, ctx: RenderContext): Promise<SessionSource> {
  const found = await ctx.session(id);
  const present = found && (await access(found.file).then(() => true, () => false));
  if (!found || !present) throw new TaskFailure(`session_id: the session '${id}' is no longer available`);
  const { row, file } = found;
  return { file, row, parent: await sessionParent(row, ctx) };
}

/**
 * `parent_video` of a task made from a session: the video the session was opened on. A Kling video (video_id) is
 * shown by its id and stored URL; an upload (video_url) as the client gave it, without an id, as for video-to-audio.
 * A video_id deleted since falls back to the session's own copy (its URL works as long as the session's files).
 */
async function sessionParent(row: SessionRow, ctx: RenderContext): Promise<ParentVideo> {
  const seconds = Math.round(row.seconds * 100) / 100;
  const source = JSON.parse(row.source_json) as { video_id?: string; video_url?: string };
  if (source.video_id) {
    const stored = await ctx.stored('video', source.video_id);
    if (stored) return { id: source.video_id, seconds, taskId: stored.taskId, file: stored.name, expiresAt: stored.expiresAt };
    return { id: source.video_id, seconds, taskId: row.id, file: row.video_file, expiresAt: row.expires_at };
  }
  return { id: '', seconds, url: source.video_url ?? '' };
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The sound a talking video follows: a stored (TTS) audio_id, or a sound_file URL or Base64, within `window` seconds.
 * Speech to synthesize (old lip-sync text2video) is not read from anywhere: its renderer makes it.
 */
export async function sourceAudio(
  ref: MediaRef | SpeechRef, window: readonly [number, number], ctx: RenderContext,
): Promise<{ file: string; seconds: number; uploaded: boolean }> {
  const { probeMedia } = await media();
  if ('audioId' in ref) {
    const stored = await ctx.stored('audio', ref.audioId);
    if (!stored) throw new TaskFailure(`audio_id: the audio '${ref.audioId}' is no longer available`);
    return { file: stored.file, seconds: stored.seconds, uploaded: false };
  }
  if (!('soundFile' in ref)) throw new Error('a talking video follows a sound');
  const value = ref.soundFile.trim();
  let bytes: Buffer;
  if (/^https?:\/\//i.test(value)) {
    try {
      bytes = await ctx.fetchAudio(value);
    } catch (error) {
      throw new TaskFailure(`sound_file: could not download (${(error as Error).message})`);
    }
  } else if (BASE64.test(value.replace(/\s+/g, ''))) {
    bytes = Buffer.from(value, 'base64');
  } else {
    throw new TaskFailure('sound_file: neither an http(s) URL nor Base64 audio data');
  }
  const file = path.join(ctx.outputDir, 'source-sound');
  await writeFile(file, bytes);
  const probed = await probeMedia(file).catch(() => undefined);
  if (!probed?.audio) throw new TaskFailure('sound_file: not a readable audio file (mp3, wav, m4a or aac expected)');
  // The documented formats and size of an uploaded sound (a URL's size was held to it while downloading).
  const broken = mediaLimitBroken('audio', SOUND_FILE_LIMITS, { format: probed.format, bytes: bytes.length });
  if (broken) throw new TaskFailure(`sound_file: ${broken}`);
  const seconds = Math.round(probed.durationSeconds * 100) / 100;
  if (seconds < window[0] - LENGTH_SLACK_S || seconds > window[1] + LENGTH_SLACK_S) {
    throw new TaskFailure(`sound_file: the audio lasts ${seconds} s; it must last ${window[0]}–${window[1]} s`);
  }
  return { file, seconds, uploaded: true };
}

/** Runs `work`, giving a failure's message the field names of the request's body (`sound_file` → `input.audio_url`). */
export async function renamed<T>(work: () => Promise<T>, rename: (message: string) => string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TaskFailure) throw new TaskFailure(rename(error.message));
    throw error;
  }
}
