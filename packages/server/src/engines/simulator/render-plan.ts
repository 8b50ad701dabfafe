// The simulator's renderers by plan kind: each turns one kind of plan into files under the task's folder and the
// StoredResult that lists them. A kind missing here is not served: its family stays out of `familyGroups`, so no task
// of it reaches this map.

import { rm } from 'node:fs/promises';
import path from 'node:path';
import type {
  AnyOutputPlan, AudioPlan, EffectVideoPlan, ExpandPlan, ImagePlan, MediaRef, MultiViewPlan, SourcedVideoPlan, TalkingVideoPlan,
  TryOnPlan, VideoPlan,
} from '@kiln/contract';
import { storedVideo, type StoredImage, type StoredResult } from '../../tasks/stored-result.ts';
import { TaskFailure } from '../engine.ts';
import { sourceAudio, sourceVideo, type RenderContext } from './sources.ts';
import { renderElementPlan, renderVoicePlan } from './render-assets.ts';
import { renderLipSyncPlan, renderMultiElementsPlan } from './session-edits.ts';
import { renderOldLipSyncPlan } from './old-lip-sync.ts';

export type { RenderContext } from './sources.ts';

type Renderer<P> = (plan: P, ctx: RenderContext) => Promise<StoredResult>;
type Renderers = { [K in AnyOutputPlan['kind']]?: Renderer<Extract<AnyOutputPlan, { kind: K }>> };

// Loaded on first use: an API-only process never pays for sharp and the renderers.
const media = () => import('./media/index.ts');

const renderers: Renderers = {
  video: renderVideoPlan,
  image: renderImagePlan,
  'effect-video': (plan, ctx) => renderVideoPlan(effectAsVideo(plan), ctx),
  audio: renderAudioPlan,
  expand: renderExpandPlan,
  'try-on': renderTryOnPlan,
  'multi-view': renderMultiViewPlan,
  'talking-video': renderTalkingPlan,
  'sourced-video': renderSourcedPlan,
  voice: renderVoicePlan,
  element: renderElementPlan,
};

export function renderPlan(plan: AnyOutputPlan, ctx: RenderContext): Promise<StoredResult> {
  const render = renderers[plan.kind] as Renderer<AnyOutputPlan> | undefined;
  if (!render) throw new Error(`the simulator cannot render plans of kind '${plan.kind}'`);
  return render(plan, ctx);
}

async function renderVideoPlan(plan: VideoPlan, ctx: RenderContext): Promise<StoredResult> {
  const { renderVideo } = await media();
  const file = 'video.mp4';
  const watermarkFile = plan.watermark ? 'video-watermark.mp4' : undefined;
  const out = await renderVideo(plan, path.join(ctx.outputDir, file), {
    fetchImage: ctx.fetchImage,
    fetchVideo: ctx.fetchVideo,
    watermarkFile: watermarkFile && path.join(ctx.outputDir, watermarkFile),
    renderedAs: ctx.renderedAs,
  });
  // Video ids are numeric strings like task ids; one video per task, so the task id serves.
  return { videos: [{ id: ctx.taskId, file, watermarkFile, seconds: out.seconds }] };
}

async function renderImagePlan(plan: ImagePlan, ctx: RenderContext): Promise<StoredResult> {
  const { renderImages } = await media();
  const images = await renderImages(plan, ctx.outputDir, { fetchImage: ctx.fetchImage });
  return { images: images.map(storedImage), series: ctx.family === 'omni-image' ? plan.series : undefined };
}

/** An effect video is a video that opens on the input image(s): the scene names what happens to them. */
function effectAsVideo(plan: EffectVideoPlan): VideoPlan {
  return {
    kind: 'video',
    resolution: plan.resolution,
    aspectRatio: null,
    seconds: plan.seconds,
    fps: plan.fps,
    audio: false,
    prompt: `effect: ${plan.scene}`,
    shots: [],
    firstFrame: plan.images[0],
    references: plan.images.length > 1 ? plan.images : [],
    watermark: plan.watermark,
  };
}

async function renderAudioPlan(plan: AudioPlan, ctx: RenderContext): Promise<StoredResult> {
  if (plan.follows) return renderDubPlan(plan, plan.follows, ctx);
  if (plan.seconds === null) throw new Error('an audio plan needs a length or a video to follow');
  const { renderSound } = await media();
  const out = await renderSound({ ...plan, seconds: plan.seconds }, ctx.outputDir);
  const file = (f: string | undefined) => (f ? path.basename(f) : '');
  // One audio per task: the task id serves as its id (audio_id in later requests), as for videos.
  return { audios: [{ id: ctx.taskId, mp3File: file(out.files.mp3), wavFile: file(out.files.wav), seconds: out.seconds }] };
}

/** Video-to-audio: the sound follows the input video's length; the dubbed video and the sound are both returned. */
async function renderDubPlan(plan: AudioPlan, follows: MediaRef, ctx: RenderContext): Promise<StoredResult> {
  const { renderDub } = await media();
  const source = await sourceVideo(follows, ctx);
  const out = await renderDub(plan, source.file, source.seconds, ctx.outputDir);
  if (source.uploaded) await rm(source.file, { force: true });
  const seconds = Math.round(source.seconds * 100) / 100;
  return {
    parentVideo: source.parent,
    videos: [{ id: ctx.taskId, file: path.basename(out.video), seconds }],
    // Task ids have at most 19 digits: a 20th keeps the audio's id numeric and apart from every video id.
    audios: [{ id: `${ctx.taskId}0`, mp3File: path.basename(out.mp3), wavFile: path.basename(out.wav), seconds }],
  };
}

/**
 * Avatar: the portrait speaks for as long as its sound (a TTS audio_id or an uploaded sound_file). Lip-sync: a face of
 * a session's video speaks a clip (session-edits.ts); old lip-sync: a video's face speaks from its start (old-lip-sync.ts).
 */
async function renderTalkingPlan(plan: TalkingVideoPlan, ctx: RenderContext): Promise<StoredResult> {
  if (plan.sessionId) return renderLipSyncPlan(plan, ctx);
  if (plan.video) return renderOldLipSyncPlan(plan, ctx);
  if (!plan.image) throw new Error('an avatar talking video needs its portrait');
  const { renderTalking } = await media();
  const sound = await sourceAudio(plan.audio, [2, plan.length.maxSeconds], ctx);
  try {
    const out = await renderTalking(plan, sound.file, sound.seconds, ctx.outputDir, ctx.fetchImage);
    return { videos: [storedVideo(ctx.taskId, out)] };
  } finally {
    if (sound.uploaded) await rm(sound.file, { force: true });
  }
}

/**
 * Video-extend continues a stored video; multi-elements edits a session's video (session-edits.ts). Motion control: the
 * character image moved like the reference video, for as long as that video (3 s up to the model's limit). The video is
 * the edited base of a plain render, so its length and sound carry over.
 */
async function renderSourcedPlan(plan: SourcedVideoPlan, ctx: RenderContext): Promise<StoredResult> {
  const { source: _source, length, inherit: _inherit, keepSourceSound, ...video } = plan;
  if (length.from === 'source-plus' && 'videoId' in plan.source) return renderExtendPlan({ ...video, kind: 'video', seconds: length.addSeconds }, plan.source.videoId, ctx);
  // Multi-elements: a session's video, edited (session-edits.ts).
  if ('sessionId' in plan.source) return renderMultiElementsPlan(plan, ctx);
  if (length.from !== 'source' || !('videoUrl' in plan.source)) throw new Error('only motion-control, video-extend and multi-elements sourced videos are rendered');
  const source = await sourceVideo(plan.source, ctx, [3, length.maxSeconds]);
  try {
    const url = plan.source.videoUrl;
    return await renderVideoPlan({ ...video, kind: 'video', seconds: source.seconds, referenceVideo: { url, role: 'base', keepSound: keepSourceSound } }, ctx);
  } finally {
    await rm(source.file, { force: true });
  }
}

/** Video extension: the parent (one of the caller's videos) plus the new seconds, the parent shown as parent_video. */
async function renderExtendPlan(piece: VideoPlan, videoId: string, ctx: RenderContext): Promise<StoredResult> {
  const parent = await ctx.stored('video', videoId);
  if (!parent) throw new TaskFailure(`video_id: the video '${videoId}' is no longer available`);
  const { renderExtension } = await media();
  const out = await renderExtension(piece, parent.file, ctx.outputDir, ctx.fetchImage);
  return {
    parentVideo: { id: videoId, seconds: parent.seconds, taskId: parent.taskId, file: parent.name, expiresAt: parent.expiresAt },
    videos: [storedVideo(ctx.taskId, out)],
  };
}

async function renderExpandPlan(plan: ExpandPlan, ctx: RenderContext): Promise<StoredResult> {
  const { renderExpand } = await media();
  return { images: (await renderExpand(plan, ctx.outputDir, ctx.fetchImage)).map(storedImage) };
}

async function renderTryOnPlan(plan: TryOnPlan, ctx: RenderContext): Promise<StoredResult> {
  const { renderTryOn } = await media();
  return { images: (await renderTryOn(plan, ctx.outputDir, ctx.fetchImage)).map(storedImage) };
}

async function renderMultiViewPlan(plan: MultiViewPlan, ctx: RenderContext): Promise<StoredResult> {
  const { renderMultiView } = await media();
  const sets = await renderMultiView(plan, ctx.outputDir, ctx.fetchImage);
  const base = (files: string[]) => files.map((f) => path.basename(f));
  return { images: sets.map((s) => ({ index: s.index, file: path.basename(s.files[0]), viewFiles: base(s.files) })) };
}

function storedImage(img: { index: number; file: string; watermarkFile?: string }): StoredImage {
  return { index: img.index, file: path.basename(img.file), watermarkFile: img.watermarkFile && path.basename(img.watermarkFile) };
}
