// Turns a stored task into the new standard's record (spec new-standard.md §4, §5.3–5.5, §6): the create answer,
// and the record `GET /tasks`, `POST /tasks` and callbacks carry. Every task can be shown this way — legacy tasks
// appear in `/tasks` as Kling's do (§5.6) — so this reads only what every task has: its row and its stored result.

import {
  formatUnits, NEW_STANDARD_STATUS, PACKAGE_TYPE, type BillingEntry, type ElementMaterial, type ElementOutput, type NewStandardCreated,
  type NewStandardOutput, type NewStandardTask, type PackType, type TaskStatus,
} from '@kiln/contract';
import { creatorId } from '../accounts/creator-id.ts';
import { RESULT_LIFETIME_MS } from '../storage/local-storage.ts';
import type { TaskRow } from '../store/tasks.ts';
import { isHandedThrough, type StoredElement, type StoredResult, type StoredVoice } from './stored-result.ts';
import type { UrlMaker } from './serialize.ts';

/** Create's answer: `message: ""` as live Kling sends it, `external_id` only when one was given (§4). */
export function toNewStandardCreated(row: TaskRow): NewStandardCreated {
  return {
    id: row.id,
    status: NEW_STANDARD_STATUS[row.status as TaskStatus],
    message: '',
    create_time: row.created_at,
    update_time: row.updated_at,
    ...(row.external_task_id !== null ? { external_id: row.external_task_id } : {}),
  };
}

/**
 * The full record. `for: 'callback'` lists an element's media as `materials[]` with image roles frontal/refer, as the
 * callback page documents; queries list them as `references[]` with frontal/reference (§9 C9).
 */
export function toNewStandardTask(row: TaskRow, urls: UrlMaker, options: { for?: 'query' | 'callback' } = {}): NewStandardTask {
  const status = row.status as TaskStatus;
  const stored = status === 'succeed' && row.result_json ? (JSON.parse(row.result_json) as StoredResult) : undefined;
  return {
    ...toNewStandardCreated(row),
    message: row.status_msg,
    // Outputs are shown once the task has succeeded, never while they are being made ([] before: the test-callback sample).
    outputs: stored ? outputsOf(row, stored, urls, options.for ?? 'query') : [],
    billing: billingOf(row),
  };
}

/**
 * Units are deducted at completion (§5.5): a succeeded task shows its charge, a failed one "0" (live, for a task that
 * failed before generating; kiln never bills a failed task), an unfinished one none yet.
 */
function billingOf(row: TaskRow): BillingEntry[] {
  const package_type = PACKAGE_TYPE[row.pack as PackType] ?? 'video';
  if (row.status === 'succeed') return [{ charge_type: 'unit', amount: formatUnits(row.units), package_type }];
  if (row.status === 'failed') return [{ charge_type: 'unit', amount: '0', package_type }];
  return [];
}

function outputsOf(row: TaskRow, stored: StoredResult, urls: UrlMaker, audience: 'query' | 'callback'): NewStandardOutput[] {
  // URLs expire 30 days after the task was made, like every kiln result URL (its files are kept that long).
  const expires = row.created_at + RESULT_LIFETIME_MS;
  const url = (file: string) => (isHandedThrough(file) ? file : urls.publicUrl() + urls.storage.signedPath(row.id, file, expires));
  const outputs: NewStandardOutput[] = [];
  for (const v of stored.videos ?? []) {
    // watermark_url only when a watermark was asked for (live: absent otherwise, §5.4).
    outputs.push({ type: 'video', id: v.id, url: url(v.file), ...(v.watermarkFile ? { watermark_url: url(v.watermarkFile) } : {}), duration: String(v.seconds) });
  }
  for (const i of stored.images ?? []) {
    // An AI multi-shot set shows each view as an image, grouped by the set; series images by the task.
    const group = i.viewFiles ? { group_id: `${row.id}-${i.index}` } : stored.series ? { group_id: row.id } : {};
    for (const file of i.viewFiles ?? [i.file]) {
      outputs.push({ type: 'image', url: url(file), ...(i.watermarkFile && !i.viewFiles ? { watermark_url: url(i.watermarkFile) } : {}), ...group });
    }
  }
  for (const a of stored.audios ?? []) {
    const seconds = String(a.seconds);
    outputs.push({ type: 'audio', id: a.id, mp3_url: url(a.mp3File), wav_url: url(a.wavFile), mp3_duration: seconds, wav_duration: seconds });
  }
  const owner = (v: StoredVoice) => (v.preset ? 'kling' : creatorId(row.tenant_id));
  for (const v of stored.voices ?? []) {
    outputs.push({ type: 'voice', id: v.id, name: v.name, url: url(v.trialFile), owned_by: owner(v), status: 'succeeded' });
  }
  for (const e of stored.elements ?? []) outputs.push(elementOutput(e, row.tenant_id, url, owner, audience));
  return outputs;
}

function elementOutput(
  e: StoredElement, tenantId: string, url: (file: string) => string, owner: (v: StoredVoice) => string, audience: 'query' | 'callback',
): ElementOutput {
  const referenceRole = audience === 'callback' ? 'refer' : 'reference';
  const media: ElementMaterial[] = [
    ...e.imageFiles.map((f, i) => ({ type: 'image' as const, role: i === 0 ? 'frontal' : referenceRole, url: url(f) })),
    ...e.videoFiles.map((f) => ({ type: 'video' as const, role: 'refer', url: url(f) })),
    ...(e.voice ? [{ type: 'voice' as const, role: 'refer', url: url(e.voice.trialFile), id: e.voice.id, name: e.voice.name, owned_by: owner(e.voice) }] : []),
  ];
  return {
    type: 'element',
    id: e.id,
    name: e.name,
    description: e.description,
    element_type: e.referenceType === 'video_refer' ? 'video_character_elements' : 'multi_image_elements',
    ...(audience === 'callback' ? { materials: media } : { references: media }),
    owned_by: creatorId(tenantId),
    status: e.deleted ? 'deleted' : 'succeeded',
    // Tag ids are numbers on the new standard; kiln's library ids are numeric strings.
    tags: e.tags.map((t) => ({ id: Number(t.id), name: t.name, description: '' })),
  };
}
