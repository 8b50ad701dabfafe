// POST /v1/videos/identify-face (spec §2.8): opens a 24 h lip-sync session on a video and lists the faces in it,
// each with a crop of the face and when it is on screen. The simulator finds faces without looking: the number, places
// and times follow from the video's bytes and length, so the same video always gives the same faces.

import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { FACE_UPLOAD_LIMITS, referencesOf } from '@kiln/contract';
import { framePng, type Crop } from '../engines/simulator/media/session-video.ts';
import { openSession, SESSION_LIFETIME_MS } from '../store/sessions.ts';
import type { Tenant } from '../store/tenants.ts';
import { newTaskId } from '../tasks/ids.ts';
import { actionNamed, chargeCall, ensureUnits, mediaDir, mediaUrl, putMedia, removeMediaDir, storeMedia, type ActionDeps } from './deps.ts';
import { purgeOldSessions } from './session-access.ts';
import { loadSessionVideo, type VideoSourceRequest } from './video-source.ts';

/** A face found in a session's video; advanced-lip-sync checks its interval. */
export interface SessionFace {
  face_id: string;
  start_ms: number;
  end_ms: number;
  /** Where the face is, in pixels of the session video. */
  box: Crop;
  image_file: string;
}

export interface FaceState {
  faces: SessionFace[];
}


export async function identifyFace(deps: ActionDeps, tenant: Tenant, req: VideoSourceRequest, now = Date.now()) {
  const action = actionNamed('identify-face');
  const units = action.units?.(req) ?? 0;
  await ensureUnits(deps, tenant, units);
  await purgeOldSessions(deps);
  const sessionId = newTaskId(now);
  const dir = mediaDir(deps, sessionId);
  const expiresAt = now + SESSION_LIFETIME_MS;
  const stored = ['video.mp4'];
  try {
    const { source, file, video } = await loadSessionVideo(deps, tenant, req, referencesOf(action.references, req), dir, FACE_UPLOAD_LIMITS);
    await storeMedia(deps, sessionId, ['video.mp4']);
    const faces = placeFaces(await fingerprint(file), video.seconds, video.width, video.height);
    for (const face of faces) {
      const middle = (face.start_ms + face.end_ms) / 2000;
      stored.push(face.image_file);
      await putMedia(deps, sessionId, face.image_file, await framePng(file, middle, face.box));
    }
    const state: FaceState = { faces };
    // The session and its charge commit together: a failed charge leaves no session behind its removed files.
    const deducted = await chargeCall(deps, tenant, units,
      (trx) => openSession(trx, { id: sessionId, tenantId: tenant.id, kind: 'identify-face', source, video, state, now }),
      { action: 'identify-face', taskId: sessionId, at: now });
    return {
      session_id: sessionId,
      final_unit_deduction: deducted,
      face_data: faces.map((f) => ({
        face_id: f.face_id,
        face_image: mediaUrl(deps, sessionId, f.image_file, expiresAt),
        start_time: f.start_ms,
        end_time: f.end_ms,
      })),
    };
  } catch (error) {
    await removeMediaDir(deps, sessionId, stored);
    throw error;
  }
}

/** A number standing for the video's content: its length in bytes and its first 4 MB. */
async function fingerprint(file: string): Promise<number> {
  const handle = await fs.open(file);
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 4 * 1024 * 1024));
    await handle.read(head, 0, head.length, 0);
    return createHash('sha256').update(String(size)).update(head).digest().readUInt32BE(0);
  } finally {
    await handle.close();
  }
}

/**
 * Face "0" is on screen the whole video, in the middle of the upper half, so every session can be lip-synced. Some
 * videos of 4 s or more (a third of them, by fingerprint) also show a second person, on the right, from a point in
 * the first half to the end; face "0" then moves left to make room.
 */
export function placeFaces(print: number, seconds: number, width: number, height: number): SessionFace[] {
  const endMs = Math.round(seconds * 1000);
  const side = Math.max(2, Math.round(Math.min(width, height) * 0.3) & ~1);
  const second = seconds >= 4 && print % 3 === 0;
  const box = (cx: number): Crop => ({
    x: Math.max(0, Math.min(width - side, Math.round(cx * width - side / 2))),
    y: Math.max(0, Math.round(height * 0.38 - side / 2)),
    width: side,
    height: side,
  });
  const faces: SessionFace[] = [{ face_id: '0', start_ms: 0, end_ms: endMs, box: box(second ? 0.3 : 0.5), image_file: 'face-0.png' }];
  if (second) {
    // Appears between 10% and 50% of the way in, and stays at least 2 s (a lip-sync needs a 2 s overlap).
    const start = Math.min(endMs - 2000, Math.round(endMs * (0.1 + ((print >>> 8) % 41) / 100)));
    faces.push({ face_id: '1', start_ms: Math.max(0, start), end_ms: endMs, box: box(0.72), image_file: 'face-1.png' });
  }
  return faces;
}
