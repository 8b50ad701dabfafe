// Editing sessions (spec §2.6, §2.8): opened on a video by init-selection (multi-elements) or identify-face
// (lip-sync), valid 24 h, visible only to the tenant that opened them. Tasks created later (multi-elements,
// advanced-lip-sync) read them here too.

import { SESSION_LIFETIME_MS } from '@kiln/contract';
import type { Db } from './open.ts';
import type { EditingSessionsTable } from './schema.ts';

export type SessionRow = EditingSessionsTable;
export type SessionKind = 'multi-elements' | 'identify-face';

/** "Valid for 24 hours" from the call that opened it (the contract's lifetime); using a session does not extend it. */
export { SESSION_LIFETIME_MS };

/** Expired sessions keep their files this long, for tasks already created from them, before they are purged. */
const PURGE_AFTER_EXPIRY_MS = 7 * 24 * 3600 * 1000;

/** What a session records of its video. */
export interface SessionVideoFacts {
  seconds: number;
  width: number;
  height: number;
  fps: number;
  frames: number;
  hasAudio: boolean;
}

/** Opens a session on a video (kept as `video.mp4` in the session's media folder), valid 24 h from `now`. */
export async function openSession(
  db: Db,
  session: { id: string; tenantId: string; kind: SessionKind; source: unknown; video: SessionVideoFacts; state: unknown; now: number },
): Promise<void> {
  const { video } = session;
  await db.insertInto('editing_sessions').values({
    id: session.id,
    tenant_id: session.tenantId,
    kind: session.kind,
    video_file: 'video.mp4',
    source_json: JSON.stringify(session.source),
    seconds: video.seconds,
    width: video.width,
    height: video.height,
    fps: video.fps,
    total_frames: video.frames,
    has_audio: video.hasAudio ? 1 : 0,
    state_json: JSON.stringify(session.state),
    created_at: session.now,
    expires_at: session.now + SESSION_LIFETIME_MS,
  }).execute();
}

/** The tenant's own session by id, expired or not; another tenant's is not found. */
export async function findSession(db: Db, tenantId: string, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('editing_sessions').selectAll()
    .where('id', '=', id).where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/**
 * Changes a session's state so that two calls on the same session — in one process or several — never lose each
 * other's marks. `change` gets the current state and returns the new one, or throws to leave it unchanged. The write
 * is a compare-and-swap on the state it read (no read-then-write transaction, which loses updates under PostgreSQL's
 * read committed); when another call changed the state meanwhile, `change` runs again on the new state.
 */
export async function updateSessionState<S, R>(
  db: Db,
  tenantId: string,
  id: string,
  change: (state: S, row: SessionRow) => { state: S; result: R },
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const row = await db.selectFrom('editing_sessions').selectAll()
      .where('id', '=', id).where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    const { state, result } = change(JSON.parse(row.state_json) as S, row);
    const written = await db.updateTable('editing_sessions').set({ state_json: JSON.stringify(state) })
      .where('id', '=', id).where('state_json', '=', row.state_json).executeTakeFirst();
    if (Number(written.numUpdatedRows) > 0) return result;
    // Calls on one session come from one client, a few at a time: this many lost races means something is wrong.
    if (attempt >= MAX_STATE_RACES) throw new Error(`session ${id}: its state kept changing under ${attempt} attempts to update it`);
  }
}

const MAX_STATE_RACES = 50;

/** Removes sessions long past their expiry; answers their ids so their media folders can go too. */
export async function purgeExpiredSessions(db: Db, now = Date.now(), limit = 50): Promise<string[]> {
  const old = await db.selectFrom('editing_sessions').select('id')
    .where('expires_at', '<', now - PURGE_AFTER_EXPIRY_MS).limit(limit).execute();
  const ids = old.map((r) => r.id);
  if (ids.length) await db.deleteFrom('editing_sessions').where('id', 'in', ids).execute();
  return ids;
}

/** Moves a session's expiry (an operator ending a session early; a session aged past its 24 h). */
export async function setSessionExpiry(db: Db, id: string, expiresAt: number): Promise<void> {
  await db.updateTable('editing_sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
}

/** Removes a session's record at once (its media folder is the caller's to remove). */
export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('editing_sessions').where('id', '=', id).execute();
}
