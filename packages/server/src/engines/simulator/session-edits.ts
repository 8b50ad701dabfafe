// The plans that edit an editing session's video: advanced-lip-sync (an identify-face session: one face speaks a
// clip) and multi-elements (an init-selection session: an element added, swapped or removed). Both read the session
// again at render time, check what only the stored media can tell, and list the result with its parent video.

import { rm } from 'node:fs/promises';
import { videoSize, type SourcedVideoPlan, type TalkingVideoPlan } from '@kiln/contract';
import type { FaceState } from '../../actions/identify-face.ts';
import type { SelectionState } from '../../actions/multi-elements-init.ts';
import { storedVideo, type StoredResult } from '../../tasks/stored-result.ts';
import { TaskFailure } from '../engine.ts';
import { renamed, sourceAudio, sourceSession, type RenderContext } from './sources.ts';

// Loaded on first use, like the other renderers (render-plan.ts).
const lipSyncMedia = () => import('./media/render-lip-sync.ts');
const editMedia = () => Promise.all([import('./media/render-multi-elements.ts'), import('./media/load-image.ts'), import('./media/selection-mask.ts')]);

/** Lengths read from containers are off by a frame or so. */
const SLACK_MS = 50;

/** Advanced lip-sync: the session's video, as long as it, with the clip inserted and the chosen face speaking it. */
export async function renderLipSyncPlan(plan: TalkingVideoPlan, ctx: RenderContext): Promise<StoredResult> {
  const { sessionId, faceId, clip } = plan;
  if (!sessionId || !faceId || !clip) throw new Error('a lip-sync plan names its session, face and clip');
  const session = await sourceSession(sessionId, ctx);
  const { row } = session;
  const face = (JSON.parse(row.state_json) as FaceState).faces.find((f) => f.face_id === faceId);
  if (!face) throw new TaskFailure(`face_choose[0].face_id: session '${sessionId}' has no face '${faceId}'`);
  const field = 'audioId' in plan.audio ? 'face_choose[0].audio_id' : 'face_choose[0].sound_file';
  // The sound's failures name its field inside face_choose, as the request does.
  const sound = await renamed(() => sourceAudio(plan.audio, [2, plan.length.maxSeconds], ctx), (m) => m.replace(/^(audio_id|sound_file)/, 'face_choose[0].$1'));
  try {
    if (clip.endMs > sound.seconds * 1000 + SLACK_MS) {
      throw new TaskFailure(`face_choose[0].sound_end_time: ${clip.endMs} ms is past the end of ${field} (${Math.round(sound.seconds * 1000)} ms)`);
    }
    const videoMs = Math.round(row.seconds * 1000);
    if (clip.insertMs + clip.endMs - clip.startMs > videoMs + SLACK_MS) {
      throw new TaskFailure(`face_choose[0].sound_insert_time: the clip inserted at ${clip.insertMs} ms runs past the end of the video (${videoMs} ms)`);
    }
    const { renderLipSync } = await lipSyncMedia();
    const out = await renderLipSync({
      video: session.file,
      facts: { width: row.width, height: row.height, fps: row.fps, seconds: row.seconds, hasAudio: row.has_audio === 1 },
      sound: sound.file,
      clip,
      face: { box: face.box, startMs: face.start_ms, endMs: face.end_ms },
      watermark: plan.watermark,
      outDir: ctx.outputDir,
    });
    return {
      parentVideo: session.parent,
      videos: [storedVideo(ctx.taskId, out)],
    };
  } finally {
    if (sound.uploaded) await rm(sound.file, { force: true });
  }
}

/**
 * Multi-elements: the session's video edited per edit mode, at the mode's resolution class (std 720p, pro 1080p on the
 * short side) and the session video's aspect ratio and frame rate.
 *
 * Length: the edited video keeps the session video's own length. `duration` ("5" for a 2–5 s video, "10" for 7–10 s)
 * names the tier that is billed, not a length to stretch the edit to: padding a 3 s edit with 2 s of frozen frames
 * would show nothing the user asked for, and Kling answers with the edited video.
 */
export async function renderMultiElementsPlan(plan: SourcedVideoPlan, ctx: RenderContext): Promise<StoredResult> {
  if (!('sessionId' in plan.source) || !plan.editMode) throw new Error('a multi-elements plan names its session and edit mode');
  const sessionId = plan.source.sessionId;
  const session = await sourceSession(sessionId, ctx);
  const { row } = session;
  const [{ renderMultiElements }, { loadImageInput }, { maskFromPoints }] = await editMedia();
  const images = await Promise.all(plan.references.map(async (src, i) => {
    try {
      return (await loadImageInput(src, ctx.fetchImage, `image_list[${i}].image`)).buffer;
    } catch (error) {
      throw new TaskFailure((error as Error).message);
    }
  }));
  const { frames } = JSON.parse(row.state_json) as SelectionState;
  const out = await renderMultiElements({
    video: session.file,
    facts: { width: row.width, height: row.height, fps: row.fps, seconds: row.seconds, hasAudio: row.has_audio === 1 },
    mode: plan.editMode,
    images,
    marked: frames.map((f) => ({ frameIndex: f.frame_index, mask: maskFromPoints(f.points, row.width, row.height) })),
    size: videoSize(plan.resolution, row.width / row.height),
    keepSound: plan.keepSourceSound,
    watermark: plan.watermark,
    outDir: ctx.outputDir,
  });
  // Kling lists the session with the video (task_result.videos[].session_id) and documents no parent_video here.
  return { videos: [storedVideo(ctx.taskId, out, { sessionId })] };
}
