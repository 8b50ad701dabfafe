// The marking steps of a multi-elements session (spec §2.6): add-selection and delete-selection change the points of
// one frame and answer its mask (RLE and PNG of the same pixels), clear-selection forgets every mark, and
// preview-selection renders the video with the marked element tinted.

import { createHash } from 'node:crypto';
import { KlingError, SELECTION_LIMITS } from '@kiln/contract';
import { encodeRle } from '../engines/simulator/media/rle.ts';
import { maskFromPoints, maskPng, type Point } from '../engines/simulator/media/selection-mask.ts';
import { renderSelectionPreview } from '../engines/simulator/media/selection-preview.ts';
import { updateSessionState, type SessionRow } from '../store/sessions.ts';
import type { Tenant } from '../store/tenants.ts';
import { mediaDir, mediaUrl, storeMedia, withLocalCopy, type ActionDeps } from './deps.ts';
import type { SelectionState } from './multi-elements-init.ts';
import { openSession } from './session-access.ts';

const { maxFrames: MAX_FRAMES, maxPoints: MAX_POINTS } = SELECTION_LIMITS;

interface FramePoints {
  session_id: string;
  frame_index: number;
  points: Point[];
}

const sameAs = (a: Point) => (b: Point) => a.x === b.x && a.y === b.y;
const status = (row: SessionRow) => ({ status: 0, session_id: row.id, final_unit_deduction: '0' });

export async function addSelection(deps: ActionDeps, tenant: Tenant, req: FramePoints) {
  const row = await openSession(deps, tenant, req.session_id, 'multi-elements');
  checkFrame(row, req.frame_index);
  const points = await updateSessionState<SelectionState, Point[]>(deps.db, tenant.id, row.id, (state) => {
    const frame = state.frames.find((f) => f.frame_index === req.frame_index);
    if (!frame && state.frames.length >= MAX_FRAMES) {
      const marked = state.frames.map((f) => f.frame_index).sort((a, b) => a - b).join(', ');
      throw new KlingError(1201, `frame_index: at most ${MAX_FRAMES} frames can be marked in a session (marked: ${marked}); delete or clear marks first`);
    }
    // A point already marked on the frame is not marked twice.
    const merged = [...(frame?.points ?? [])];
    for (const p of req.points) if (!merged.some(sameAs(p))) merged.push({ x: p.x, y: p.y });
    if (merged.length > MAX_POINTS) {
      throw new KlingError(1201,
        `points: at most ${MAX_POINTS} points can be marked on one frame (frame ${req.frame_index} would have ${merged.length})`);
    }
    const frames = [...state.frames.filter((f) => f !== frame), { frame_index: req.frame_index, points: merged }];
    return { state: { frames: frames.sort((a, b) => a.frame_index - b.frame_index) }, result: merged };
  });
  return { ...status(row), res: await frameMasks(row, req.frame_index, points) };
}

export async function deleteSelection(deps: ActionDeps, tenant: Tenant, req: FramePoints) {
  const row = await openSession(deps, tenant, req.session_id, 'multi-elements');
  checkFrame(row, req.frame_index);
  const points = await updateSessionState<SelectionState, Point[]>(deps.db, tenant.id, row.id, (state) => {
    const frame = state.frames.find((f) => f.frame_index === req.frame_index);
    if (!frame) throw new KlingError(1201, `frame_index: no points are marked on frame ${req.frame_index}`);
    req.points.forEach((p, i) => {
      if (!frame.points.some(sameAs(p))) {
        throw new KlingError(1201,
          `points[${i}]: (${p.x}, ${p.y}) is not marked on frame ${req.frame_index}; coordinates must equal the added ones exactly`);
      }
    });
    const left = frame.points.filter((p) => !req.points.some(sameAs(p)));
    // A frame without points is no longer marked: it frees its place among the 10.
    const frames = state.frames.filter((f) => f !== frame);
    if (left.length) frames.push({ frame_index: req.frame_index, points: left });
    return { state: { frames: frames.sort((a, b) => a.frame_index - b.frame_index) }, result: left };
  });
  return { ...status(row), res: await frameMasks(row, req.frame_index, points) };
}

export async function clearSelection(deps: ActionDeps, tenant: Tenant, req: { session_id: string }) {
  const row = await openSession(deps, tenant, req.session_id, 'multi-elements');
  await updateSessionState<SelectionState, void>(deps.db, tenant.id, row.id, () => ({ state: { frames: [] }, result: undefined }));
  return status(row);
}

// One render per session and selection at a time; a repeated preview of an unchanged selection reuses the files.
const previews = new Map<string, Promise<void>>();

export async function previewSelection(deps: ActionDeps, tenant: Tenant, req: { session_id: string }) {
  const row = await openSession(deps, tenant, req.session_id, 'multi-elements');
  const { frames } = JSON.parse(row.state_json) as SelectionState;
  if (!frames.length) throw new KlingError(1201, 'session_id: nothing is marked yet; mark the element with add-selection first');
  const prefix = `preview-${createHash('sha256').update(JSON.stringify(frames)).digest('hex').slice(0, 12)}`;
  const key = `${row.id}/${prefix}`;
  const names = [`${prefix}.mp4`, `${prefix}-tracking.mp4`, `${prefix}-cover.jpg`];
  // The cover is stored last, so a stored cover means the whole preview is there.
  if (!(await deps.storage.exists(`${row.id}/${prefix}-cover.jpg`))) {
    let job = previews.get(key);
    if (!job) {
      const marked = frames.map((f) => ({ frameIndex: f.frame_index, mask: maskFromPoints(f.points, row.width, row.height) }));
      // Rendered in the session's working folder from the session's stored video, then put into storage.
      job = withLocalCopy(deps, row.id, row.video_file, (video) => renderSelectionPreview(mediaDir(deps, row.id), prefix, video, row, marked))
        .then(async () => {
          for (const name of names) await storeMedia(deps, row.id, [name]);
        })
        .finally(() => previews.delete(key));
      previews.set(key, job);
    }
    await job;
  }
  const url = (file: string) => mediaUrl(deps, row.id, file, row.expires_at);
  return {
    ...status(row),
    res: { video: url(`${prefix}.mp4`), video_cover: url(`${prefix}-cover.jpg`), tracking_output: url(`${prefix}-tracking.mp4`) },
  };
}

function checkFrame(row: SessionRow, frameIndex: number): void {
  if (frameIndex >= row.total_frames) {
    throw new KlingError(1201, `frame_index: must be less than the video's total_frame (${row.total_frames})`);
  }
}

/**
 * The frame's masks: one object (the element being edited, object_id 0). A frame whose points were all deleted
 * answers the object with an empty mask rather than an empty list, so clients that read the first item keep working.
 */
async function frameMasks(row: SessionRow, frameIndex: number, points: readonly Point[]) {
  const mask = maskFromPoints(points, row.width, row.height);
  const size: [number, number] = [row.height, row.width];
  return {
    frame_index: frameIndex,
    rle_mask_list: [{
      object_id: 0,
      rle_mask: encodeRle(mask),
      png_mask: { size, base64: (await maskPng(mask)).toString('base64') },
    }],
  };
}
