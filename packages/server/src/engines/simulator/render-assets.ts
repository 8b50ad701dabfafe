// The simulator's renderers of custom voices and elements (spec §4.1, §4.2). A voice is cloned from a 5–30 s recording
// (voice_url) or a stored video's sound track (video_id): it gets a new id, a timbre fixed by that id, and a trial MP3
// spoken in it. An element keeps its reference images or video as given, and binds a voice: the one the request names
// (element_voice_id), or one cloned from its video's sound track. Both become the tenant's own when the task succeeds
// (registerCustomAssets, in the same transaction as the success).

import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { elementTagName, familyByName, referencesOf, TRIAL_SECONDS, type ElementPlan, type SecondsRange, type VoicePlan } from '@kiln/contract';
import { customTimbre, presetVoice } from '../../actions/voice-library.ts';
import { newTaskId } from '../../tasks/ids.ts';
import type { StoredElement, StoredResult, StoredVoice } from '../../tasks/stored-result.ts';
import { TaskFailure } from '../engine.ts';
import type { RenderContext } from './sources.ts';

// Loaded on first use, as in render-plan.ts: an API-only process never pays for sharp.
const assetMedia = () => import('./media/asset-inputs.ts');
const trialMedia = () => import('./media/voice-trial.ts');

/**
 * The trial length of a voice an element binds or clones: custom-voices' own, so a custom voice's trial is the same
 * clip in its own task and in every element bound to it.
 */
const ELEMENT_VOICE_TRIAL_SECONDS = TRIAL_SECONDS;
// A container may round a length up by a frame or two (as sources.ts allows).
const LENGTH_SLACK_S = 0.05;

const VOICE_URL = 'voice_url';
const ELEMENT_VIDEO = 'element_video_list.refer_videos[].video_url';

export async function renderVoicePlan(plan: VoicePlan, ctx: RenderContext): Promise<StoredResult> {
  if ('voiceUrl' in plan.source) await measureRecording(plan.source.voiceUrl, ctx);
  else await measureVideoSound(plan.source.videoId, ctx);
  return { voices: [await cloneVoice(newTaskId(), plan.name, plan.trialSeconds, ctx)] };
}

export async function renderElementPlan(plan: ElementPlan, ctx: RenderContext): Promise<StoredResult> {
  const imageFiles = await keepImages(plan, ctx);
  // An explicitly bound voice wins over the video's own: one voice per element, and none cloned unasked.
  let voice = plan.voiceId ? await boundVoice(plan.voiceId, ctx) : undefined;
  const videoFiles: string[] = [];
  if (plan.referenceType === 'video_refer') {
    const video = await keepVideo(plan.videos[0], ctx);
    videoFiles.push(video.file);
    // "Human voice in video triggers voice customization + binding": any sound track counts as the person's voice
    // (the simulator cannot tell speech from other sound), cloned under the element's name.
    if (!voice && video.hasSound) voice = await cloneVoice(newTaskId(), plan.name, ELEMENT_VOICE_TRIAL_SECONDS, ctx);
  }
  const element: StoredElement = {
    id: newTaskId(),
    name: plan.name,
    description: plan.description,
    referenceType: plan.referenceType,
    imageFiles,
    videoFiles,
    voice,
    tags: plan.tags.map((id) => ({ id, name: elementTagName(id) })),
  };
  return { elements: [element] };
}

/** A new custom voice: its timbre follows its id, its trial is a file of this task. */
async function cloneVoice(id: string, name: string, seconds: number, ctx: RenderContext): Promise<StoredVoice> {
  const { renderVoiceTrial } = await trialMedia();
  const trialFile = await renderVoiceTrial({ id, name, timbre: customTimbre(id) }, seconds, ctx.outputDir, `voice-${id}`);
  return { id, name, trialFile, made: true };
}

/** element_voice_id: a preset or one of the tenant's custom voices (checked at create), looked up again here. */
async function boundVoice(id: string, ctx: RenderContext): Promise<StoredVoice> {
  const { renderVoiceTrial } = await trialMedia();
  const preset = presetVoice(id);
  if (preset) {
    const voice = { id, name: preset.voice_name, timbre: preset.timbre, zh: preset.languages[0] === 'zh' };
    const trialFile = await renderVoiceTrial(voice, ELEMENT_VOICE_TRIAL_SECONDS, ctx.outputDir, `voice-${id}`);
    return { id, name: preset.voice_name, trialFile, preset: true };
  }
  const custom = await ctx.customVoice(id);
  if (!custom) throw new TaskFailure(`element_voice_id: no voice '${id}' among the preset voices and your custom voices`);
  if (custom.status === 'deleted') throw new TaskFailure(`element_voice_id: voice '${id}' has been deleted`);
  const trialFile = await renderVoiceTrial({ id, name: custom.name, timbre: customTimbre(id) }, ELEMENT_VOICE_TRIAL_SECONDS, ctx.outputDir, `voice-${id}`);
  return { id, name: custom.name, trialFile };
}

/** voice_url: an mp3/wav recording or an mp4/mov video, whose sound track must last 5–30 s. */
async function measureRecording(url: string, ctx: RenderContext): Promise<void> {
  const { measureMedia } = await assetMedia();
  let bytes: Buffer;
  try {
    // A video is a valid recording, so the video cap (200 MB) applies, not avatar's 5 MB sound cap.
    bytes = await ctx.fetchVideo(url);
  } catch (error) {
    throw new TaskFailure(`voice_url: could not download (${(error as Error).message})`);
  }
  const file = path.join(ctx.outputDir, 'voice-source');
  await writeFile(file, bytes);
  try {
    const media = await measureMedia(file);
    if (!media || !/mp3|wav|mov|mp4/.test(media.format) || !media.hasSound) {
      throw new TaskFailure('voice_url: no sound track to clone (an mp3/wav recording or an mp4/mov video with one voice expected)');
    }
    checkSeconds(VOICE_URL, 'the recording', media.seconds, windowOf('custom-voices', VOICE_URL));
  } finally {
    // The recording is only measured: nothing of it is shown or kept.
    await rm(file, { force: true });
  }
}

/** video_id: one of the tenant's stored videos (checked at create), which must have a sound track of 5–30 s. */
async function measureVideoSound(videoId: string, ctx: RenderContext): Promise<void> {
  const stored = await ctx.stored('video', videoId);
  if (!stored) throw new TaskFailure(`video_id: the video '${videoId}' is no longer available`);
  const { measureMedia } = await assetMedia();
  const media = await measureMedia(stored.file);
  if (!media?.hasSound) {
    throw new TaskFailure(`video_id: the video '${videoId}' has no sound track; only videos with sound (e.g. sound 'on', avatar) can be cloned`);
  }
  checkSeconds('video_id', `the video '${videoId}'`, media.seconds, windowOf('custom-voices', 'video_id'));
}

/** image_refer: the frontal image and its 1–3 other views, kept as `frontal` and `refer-<n>` files. */
async function keepImages(plan: ElementPlan, ctx: RenderContext): Promise<string[]> {
  const { keepImage } = await assetMedia();
  const files: string[] = [];
  for (const [i, source] of plan.images.entries()) {
    const field = i === 0 ? 'element_image_list.frontal_image' : `element_image_list.refer_images[${i - 1}].image_url`;
    try {
      files.push((await keepImage(source, ctx.fetchImage, field, ctx.outputDir, i === 0 ? 'frontal' : `refer-${i}`)).file);
    } catch (error) {
      // load-image's messages about the input start with the field; anything else is kiln's own failure.
      const message = (error as Error).message ?? '';
      throw message.startsWith(`${field}:`) ? new TaskFailure(message) : error;
    }
  }
  return files;
}

/**
 * video_refer: the reference video, kept as given once it is measured at 3–8 s (its format, size and frame rate were
 * checked with the other inputs before rendering).
 */
async function keepVideo(url: string, ctx: RenderContext): Promise<{ file: string; hasSound: boolean }> {
  const field = ELEMENT_VIDEO.replace('[]', '[0]');
  const { measureMedia } = await assetMedia();
  let bytes: Buffer;
  try {
    bytes = await ctx.fetchVideo(url);
  } catch (error) {
    throw new TaskFailure(`${field}: could not download (${(error as Error).message})`);
  }
  // Kept under the extension the client's URL names (mp4 unless it says mov), as both are the same container.
  const file = /\.mov(?:[?#]|$)/i.test(url) ? 'refer-video.mov' : 'refer-video.mp4';
  await writeFile(path.join(ctx.outputDir, file), bytes);
  const media = await measureMedia(path.join(ctx.outputDir, file));
  if (!media?.hasVideo) throw new TaskFailure(`${field}: not a readable video (mp4 or mov expected)`);
  checkSeconds(field, 'the video', media.seconds, windowOf('advanced-custom-elements', ELEMENT_VIDEO));
  return { file, hasSound: media.hasSound };
}

function checkSeconds(field: string, what: string, seconds: number, [min, max]: SecondsRange): void {
  if (seconds < min - LENGTH_SLACK_S || seconds > max + LENGTH_SLACK_S) {
    throw new TaskFailure(`${field}: ${what} lasts ${seconds} s; it must last ${min}–${max} s`);
  }
}

/** A length window as the contract declares it for the family's reference field. */
function windowOf(family: string, field: string): SecondsRange {
  const ref = referencesOf(familyByName(family)?.references, {}).find((r) => r.field === field);
  const seconds = ref?.seconds;
  if (!seconds || typeof seconds[0] !== 'number') throw new Error(`the contract declares no length window for ${family} ${field}`);
  return seconds as SecondsRange;
}
