// Editing sessions a create names (multi-elements: init-selection; advanced-lip-sync: identify-face, spec §2.6, §2.8)
// and the faces of a lip-sync session. The session is found as the selection calls find it (session-access.ts: the
// caller's own, of the right kind, not expired); then its video must suit the request, and a face's sound must fit.

import { KlingError, type InputReference } from '@kiln/contract';
import type { FaceState } from '../actions/identify-face.ts';
import { findLiveSession } from '../actions/session-access.ts';
import { checkLength } from '../actions/video-source.ts';
import type { SessionRow } from '../store/sessions.ts';
import { siblingField, type NamedId, type ReferenceContext } from './reference-ids.ts';

export async function checkSession(ctx: ReferenceContext, ref: InputReference, { field, id }: NamedId): Promise<SessionRow> {
  if (!ref.sessionKind) throw new Error(`the session reference ${ref.field} declares no sessionKind`);
  // The row's own expiry (24 h from opening) decides; maxAgeDays says the same in the contract's words.
  const row = await findLiveSession(ctx.db, ctx.tenantId, id, ref.sessionKind, field, ctx.now).catch((error: unknown) => {
    // The session calls answer an unknown session 1203 (the resource they address); a create that names one is an
    // invalid parameter, 1201, like an unknown video, voice or element id.
    if (error instanceof KlingError && error.code === 1203) throw new KlingError(1201, error.message);
    throw error;
  });
  if (ref.seconds) {
    try {
      checkLength(field, row.seconds, ref.seconds);
    } catch (error) {
      if (error instanceof KlingError && ref.secondsRule) throw new KlingError(error.code, `${error.message} ${ref.secondsRule}`);
      throw error;
    }
  }
  return row;
}

/**
 * A face of the session, and the sound placed on it: the part from `clip.start` to `clip.end` (ms of the sound),
 * inserted at `clip.insert` (ms of the video), must end within the session's video and overlap the face's time on
 * screen by `clip.minOverlapMs`. The sound's own length is checked with it (an audio_id's `endsBy`) or when an uploaded
 * sound is read.
 */
export function checkFace(ref: InputReference, { field, id, item }: NamedId, session: SessionRow): void {
  const { faces } = JSON.parse(session.state_json) as FaceState;
  const face = faces.find((f) => f.face_id === id);
  if (!face) {
    throw new KlingError(1201,
      `${field}: session '${session.id}' has no face '${id}'; identify-face found ${faces.map((f) => `'${f.face_id}'`).join(', ') || 'none'}`);
  }
  if (!ref.clip) return;
  const { start, end, insert, minOverlapMs } = ref.clip;
  const from = Number(item[insert]);
  const to = from + Number(item[end]) - Number(item[start]);
  const videoMs = Math.round(session.seconds * 1000);
  const at = siblingField(field, insert);
  const placed = `the sound, inserted at ${from} ms, plays ${from}–${to} ms`;
  if (to > videoMs) throw new KlingError(1201, `${at}: ${placed}, past the end of the session's video (${videoMs} ms)`);
  const overlap = Math.min(to, face.end_ms) - Math.max(from, face.start_ms);
  if (overlap < minOverlapMs) {
    throw new KlingError(1201,
      `${at}: ${placed} and face '${id}' is on screen ${face.start_ms}–${face.end_ms} ms; they must overlap at least ${minOverlapMs} ms (got ${Math.max(0, overlap)} ms)`);
  }
}
