// Keeps an upstream task's outputs: every video (and its watermarked copy), image and audio file is downloaded into
// the task's folder before the task shows `succeed`, so kiln's URLs outlive the upstream's 30 days. Downloads are
// streamed to disk by the runner's fetcher (the operator's address policy, a size cap, output-sized time limits); a
// failed one fails the step, which the runner retries, and a retry downloads again into the same names, so
// repeating after a crash is harmless. An upstream set to `--results passthrough` keeps nothing: its URLs are shown.
// Either way each video, audio, voice and element gets a kiln id, the upstream's kept beside it (`upstreamId`, which
// owners.ts finds when a later request names it): a tenant sees kiln's ids only, as from the simulator.

import fs from 'node:fs/promises';
import path from 'node:path';
import type { StepContext } from '../engine.ts';
import type { ElementResult, VoiceResult } from '@kiln/contract';
import type { StoredAudio, StoredElement, StoredImage, StoredResult, StoredVideo, StoredVoice } from '../../tasks/stored-result.ts';

/** The largest output kept (a 4K video of 15 s is well under this). */
export const MAX_OUTPUT_BYTES = 2 * 1024 * 1024 * 1024 - 1;

interface UpstreamResult {
  videos?: { id?: string; url: string; watermark_url?: string; duration?: string | number; session_id?: string }[];
  /** ai-multi-shot's views come as `url_1` … `url_n` instead of `url`. */
  images?: ({ index?: number; url: string; watermark_url?: string } & Record<string, unknown>)[];
  series_images?: unknown[];
  audios?: { id?: string; url_mp3?: string; url_wav?: string; duration_mp3?: string | number; duration_wav?: string | number }[];
  voices?: VoiceResult[];
  elements?: ElementResult[];
}

/** The result shapes the relay keeps today; a task whose result has another shape fails instead of losing it. */
export function unarchivableKeys(result: Record<string, unknown>): string[] {
  const kept = new Set(['videos', 'images', 'audios', 'series_images', 'result_type', 'voices', 'elements']);
  return Object.keys(result).filter((key) => !kept.has(key) && result[key] !== null && result[key] !== undefined);
}

/** The file extension the URL's path ends with, when it is one kiln serves; otherwise the family's usual one. */
export function extensionOf(url: string, fallback: string): string {
  const ext = path.extname(new URL(url).pathname).toLowerCase();
  return ['.png', '.jpg', '.jpeg', '.webp', '.mp4', '.mp3', '.wav'].includes(ext) ? ext : fallback;
}

/** `url_1` … `url_n` of an ai-multi-shot result set, in order; none for an ordinary image. */
function viewUrls(image: Record<string, unknown>): string[] {
  const views: string[] = [];
  for (let n = 1; typeof image[`url_${n}`] === 'string'; n++) views.push(image[`url_${n}`] as string);
  return views;
}

/** How an output is kept: the name it is shown under (a file of the task, or the URL itself when handed through). */
type Keep = (url: string, name: string) => Promise<string>;

/** How the result's ids become kiln's. */
export interface ResultIds {
  /** The task's id: its first video's id, as the simulator gives (or its first audio's, when it made no video). */
  taskId: string;
  /** A new kiln id, for each other video, audio, voice and element. */
  newId: () => string;
  /** kiln's id of an id the request named (upstream id → kiln id): an element's bound voice, a session. */
  named: ReadonlyMap<string, string>;
}

/** Downloads each output into the task's folder. */
export function archiveResult(result: UpstreamResult, context: StepContext, ids: ResultIds): Promise<StoredResult> {
  return storedResult(result, ids, async (url, name) => {
    await fs.mkdir(context.outputDir, { recursive: true });
    await context.fetchOutput(url, path.join(context.outputDir, name), MAX_OUTPUT_BYTES);
    return name;
  });
}

/** `--results passthrough`: the upstream's URLs as they are, nothing copied (they last as long as the upstream's). */
export function handThroughResult(result: UpstreamResult, ids: ResultIds): Promise<StoredResult> {
  return storedResult(result, ids, async (url) => url);
}

/** A kiln id and the upstream's beside it (none when the upstream gave none). */
function kilnId(upstreamId: unknown, id: string): { id: string; upstreamId?: string } {
  return upstreamId === undefined || upstreamId === null || upstreamId === '' ? { id } : { id, upstreamId: String(upstreamId) };
}

async function storedResult(result: UpstreamResult, ids: ResultIds, keep: Keep): Promise<StoredResult> {
  const stored: StoredResult = {};
  if (result.videos?.length) {
    stored.videos = [];
    for (const [i, video] of result.videos.entries()) {
      const sessionId = video.session_id && (ids.named.get(String(video.session_id)) ?? String(video.session_id));
      const entry: StoredVideo = {
        ...kilnId(video.id, i === 0 ? ids.taskId : ids.newId()), ...(sessionId ? { sessionId } : {}),
        file: await keep(video.url, `video-${i}.mp4`), seconds: Number(video.duration ?? 0),
      };
      if (video.watermark_url) entry.watermarkFile = await keep(video.watermark_url, `video-${i}-watermark.mp4`);
      stored.videos.push(entry);
    }
  }
  if (result.images?.length) {
    stored.images = [];
    for (const [i, image] of result.images.entries()) {
      const index = image.index ?? i;
      const views = viewUrls(image);
      if (views.length) {
        const viewFiles: string[] = [];
        for (const [n, url] of views.entries()) viewFiles.push(await keep(url, `image-${index}-view-${n + 1}${extensionOf(url, '.png')}`));
        stored.images.push({ index, file: viewFiles[0], viewFiles });
        continue;
      }
      const entry: StoredImage = { index, file: await keep(image.url, `image-${index}${extensionOf(image.url, '.png')}`) };
      if (image.watermark_url) entry.watermarkFile = await keep(image.watermark_url, `image-${index}-watermark${extensionOf(image.watermark_url, '.png')}`);
      stored.images.push(entry);
    }
    if (result.series_images?.length) stored.series = true;
  }
  if (result.audios?.length) {
    stored.audios = [];
    for (const [i, audio] of result.audios.entries()) {
      if (!audio.url_mp3 || !audio.url_wav) throw new Error('the upstream audio result has no url_mp3 or url_wav');
      const entry: StoredAudio = {
        ...kilnId(audio.id, i === 0 && !stored.videos ? ids.taskId : ids.newId()),
        mp3File: await keep(audio.url_mp3, `audio-${i}.mp3`),
        wavFile: await keep(audio.url_wav, `audio-${i}.wav`),
        seconds: Number(audio.duration_mp3 ?? audio.duration_wav ?? 0),
      };
      stored.audios.push(entry);
    }
  }
  if (result.voices?.length) {
    stored.voices = [];
    for (const [i, voice] of result.voices.entries()) stored.voices.push(await keptVoice(voice, `voice-${i}`, ids, keep));
  }
  if (result.elements?.length) {
    stored.elements = [];
    for (const [i, element] of result.elements.entries()) stored.elements.push(await keptElement(element, `element-${i}`, ids, keep));
  }
  return stored;
}

/**
 * A voice the task shows. Kling's own keeps its id (a preset is the same everywhere); one the request named (an
 * element's bound voice) is shown under the tenant's id for it; any other the task cloned, and it becomes one of the
 * tenant's custom voices under a new kiln id when the task succeeds (custom-assets.ts).
 */
async function keptVoice(voice: VoiceResult, name: string, ids: ResultIds, keep: Keep): Promise<StoredVoice> {
  const preset = voice.owned_by === 'kling';
  const named = ids.named.get(String(voice.voice_id));
  return {
    ...(preset ? { id: String(voice.voice_id) } : named !== undefined ? { id: named } : kilnId(voice.voice_id, ids.newId())),
    name: voice.voice_name,
    trialFile: await keep(voice.trial_url, `${name}-trial${extensionOf(voice.trial_url, '.mp3')}`),
    ...(preset ? { preset } : named !== undefined ? {} : { made: true }),
  };
}

/** A custom element the upstream made, its reference images, videos and voice kept as files of the task. */
async function keptElement(element: ElementResult, name: string, ids: ResultIds, keep: Keep): Promise<StoredElement> {
  const images = element.element_image_list ?? {};
  const imageUrls = [images.frontal_image, ...(images.refer_images ?? []).map((r) => r.image_url)].filter((u): u is string => Boolean(u));
  const videoUrls = (element.element_video_list?.refer_videos ?? []).map((r) => r.video_url).filter(Boolean);
  const imageFiles: string[] = [];
  for (const [k, url] of imageUrls.entries()) imageFiles.push(await keep(url, `${name}-image-${k}${extensionOf(url, '.png')}`));
  const videoFiles: string[] = [];
  for (const [k, url] of videoUrls.entries()) videoFiles.push(await keep(url, `${name}-video-${k}.mp4`));
  const voiceInfo = element.element_voice_info as Partial<VoiceResult> | undefined;
  return {
    ...kilnId(element.element_id, ids.newId()),
    name: element.element_name,
    description: element.element_description,
    referenceType: element.reference_type,
    imageFiles,
    videoFiles,
    ...(voiceInfo?.voice_id && voiceInfo.trial_url ? { voice: await keptVoice(voiceInfo as VoiceResult, `${name}-voice`, ids, keep) } : {}),
    tags: (element.tag_list ?? []).map((t) => ({ id: String(t.tag_id), name: t.tag_name })),
  };
}
