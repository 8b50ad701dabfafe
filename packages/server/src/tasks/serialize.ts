// Turns a stored task into the objects Kling answers with: the create answer, and the full task for queries,
// lists and callbacks (spec §1.4, §1.6, §1.9).

import { formatUnits, type CreatedTask, type TaskObject, type TaskResult, type TaskStatus } from '@kiln/contract';
import { RESULT_LIFETIME_MS, type LocalStorage } from '../storage/local-storage.ts';
import type { TaskRow } from '../store/tasks.ts';
import type { StoredResult } from './stored-result.ts';

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
    task_info: { external_task_id: row.external_task_id },
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
  const url = (file: string) => urls.publicUrl() + urls.storage.signedPath(row.id, file, expires);
  const result: TaskResult = {};
  if (stored.videos) {
    result.videos = stored.videos.map((v) => ({
      id: v.id,
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
