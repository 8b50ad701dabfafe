// Turns a stored task into the objects Kling answers with: the create answer, and the full task for queries,
// lists and callbacks (spec §1.4, §1.6, §1.9).

import { formatUnits, type CreatedTask, type MultiViewResult, type TaskObject, type TaskResult, type TaskStatus } from '@kiln/contract';
import { RESULT_LIFETIME_MS, type LocalStorage } from '../storage/local-storage.ts';
import type { TaskRow } from '../store/tasks.ts';
import { isHandedThrough, type StoredResult } from './stored-result.ts';
import { assetResults } from './serialize-assets.ts';

export interface UrlMaker {
  storage: LocalStorage;
  publicUrl: () => string;
}

export function toCreatedTask(row: TaskRow): CreatedTask {
  return {
    task_id: row.id,
    task_status: row.status as TaskStatus,
    task_info: { external_task_id: row.external_task_id },
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toTaskObject(row: TaskRow, urls: UrlMaker): TaskObject {
  const status = row.status as TaskStatus;
  const task: TaskObject = {
    task_id: row.id,
    task_status: status,
    task_status_msg: row.status_msg,
    task_info: { external_task_id: row.external_task_id, ...parentVideoOf(row, urls) },
    // Outputs are shown once the task has succeeded, never while they are being made.
    task_result: status === 'succeed' && row.result_json ? resultOf(row, JSON.parse(row.result_json) as StoredResult, urls) : {},
    watermark_info: { enabled: row.watermark === 1 },
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  // Units are known once the task ends; failed tasks cost nothing (spec §1.8, §1.10).
  if (status === 'succeed') task.final_unit_deduction = formatUnits(row.units);
  else if (status === 'failed') task.final_unit_deduction = '0';
  return task;
}

function resultOf(row: TaskRow, stored: StoredResult, urls: UrlMaker): TaskResult {
  // URLs expire 30 days after the task was made, like Kling's.
  const expires = row.created_at + RESULT_LIFETIME_MS;
  const url = (file: string) => (isHandedThrough(file) ? file : urls.publicUrl() + urls.storage.signedPath(row.id, file, expires));
  // Voices and elements (custom-voices, advanced-custom-elements) come with their own media.
  const result: TaskResult = assetResults(stored, row.tenant_id, url);
  if (stored.videos) {
    result.videos = stored.videos.map((v) => ({
      id: v.id,
      ...(v.sessionId ? { session_id: v.sessionId } : {}),
      url: url(v.file),
      ...(v.watermarkFile ? { watermark_url: url(v.watermarkFile) } : {}),
      duration: String(v.seconds),
    }));
  }
  if (stored.audios) {
    result.audios = stored.audios.map((a) => ({
      id: a.id,
      url_mp3: url(a.mp3File),
      url_wav: url(a.wavFile),
      duration_mp3: String(a.seconds),
      duration_wav: String(a.seconds),
    }));
  }
  if (stored.images) {
    if (stored.images.some((i) => i.viewFiles)) {
      const sets: MultiViewResult[] = stored.images.map((i) => ({
        index: i.index,
        ...Object.fromEntries((i.viewFiles ?? [i.file]).map((f, n) => [`url_${n + 1}`, url(f)])),
      }));
      // TaskResult types `images` as the common {index, url} shape its readers rely on; multi-shot is the one family
      // whose images carry url_1…url_n instead (spec §4.3), so it is widened here only.
      result.images = sets as unknown as TaskResult['images'];
      return result;
    }
    const images = stored.images.map((i) => ({
      index: i.index,
      url: url(i.file),
      ...(i.watermarkFile ? { watermark_url: url(i.watermarkFile) } : {}),
    }));
    result.images = images;
    if (stored.series !== undefined) {
      result.result_type = stored.series ? 'series' : 'single';
      if (stored.series) result.series_images = images;
    }
  }
  return result;
}

/** `task_info.parent_video{id, url, duration}` of a task made from another video (spec §3.2, §2.x video-extend). */
function parentVideoOf(row: TaskRow, urls: UrlMaker): { parent_video?: { id: string; url: string; duration: string } } {
  if (!row.result_json) return {};
  const parent = (JSON.parse(row.result_json) as StoredResult).parentVideo;
  if (!parent) return {};
  // A stored parent's URL expires with the parent itself, not with this task.
  const url = parent.taskId && parent.file && parent.expiresAt
    ? urls.publicUrl() + urls.storage.signedPath(parent.taskId, parent.file, parent.expiresAt)
    : parent.url ?? '';
  return { parent_video: { id: parent.id, url, duration: String(parent.seconds) } };
}
