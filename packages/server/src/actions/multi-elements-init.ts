// POST /v1/videos/multi-elements/init-selection (spec §2.6): opens a 24 h editing session on the caller's Kling video
// (video_id) or an uploaded one (video_url), answering the frame facts the later calls and the task need.

import { referencesOf, SELECTION_UPLOAD_LIMITS } from '@kiln/contract';
import { newTaskId } from '../tasks/ids.ts';
import { openSession, SESSION_LIFETIME_MS } from '../store/sessions.ts';
import type { Tenant } from '../store/tenants.ts';
import { actionNamed, mediaDir, mediaUrl, removeMediaDir, storeMedia, type ActionDeps } from './deps.ts';
import { purgeOldSessions } from './session-access.ts';
import { loadSessionVideo, type VideoSourceRequest } from './video-source.ts';

/** What a multi-elements session remembers: the points marked on each frame (at most 10 frames, 10 points each). */
export interface SelectionState {
  frames: { frame_index: number; points: { x: number; y: number }[] }[];
}


export async function initSelection(deps: ActionDeps, tenant: Tenant, req: VideoSourceRequest, now = Date.now()) {
  await purgeOldSessions(deps);
  const sessionId = newTaskId(now);
  const dir = mediaDir(deps, sessionId);
  const expiresAt = now + SESSION_LIFETIME_MS;
  try {
    const references = referencesOf(actionNamed('multi-elements/init-selection').references, req);
    const { source, video } = await loadSessionVideo(deps, tenant, req, references, dir, SELECTION_UPLOAD_LIMITS);
    // Stored before the session opens: its normalized_video URL is served from storage, by any process.
    await storeMedia(deps, sessionId, ['video.mp4']);
    const state: SelectionState = { frames: [] };
    await openSession(deps.db, { id: sessionId, tenantId: tenant.id, kind: 'multi-elements', source, video, state, now });
    return {
      status: 0,
      session_id: sessionId,
      // Selection steps carry no published price.
      final_unit_deduction: '0',
      fps: Math.round(video.fps * 1000) / 1000,
      // Milliseconds: Kling's example pairs 150 frames at 30 fps with 5000.
      original_duration: Math.round(video.seconds * 1000),
      width: video.width,
      height: video.height,
      total_frame: video.frames,
      // Session files are served as long as the session lives.
      normalized_video: mediaUrl(deps, sessionId, 'video.mp4', expiresAt),
    };
  } catch (error) {
    await removeMediaDir(deps, sessionId, ['video.mp4']);
    throw error;
  }
}
