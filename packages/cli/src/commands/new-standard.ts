// The new standard in the CLI: `kiln video text --model kling-3.0-turbo …` sends the new-standard create when the
// model is one of the new standard's (the model chooses the standard), with the same flags as the legacy command:
// they are translated to `prompt`/`contents[]`, `settings` and `options`. A --json-body already in the new shape is
// sent as it is. Tasks are awaited and shown through `GET /tasks`.

import {
  newStandardEndpoint, newStandardEndpoints, type NewStandardProduct, type NewStandardTask,
} from '@kiln/sdk/contract';
import { asTaskObject, type Kling } from '@kiln/sdk';
import type { DownloadedFile } from '@kiln/sdk/node';
import { formatBytes, StatusLine } from './progress.ts';

/** The legacy family whose command also creates the new standard's product. */
export const NEW_STANDARD_PRODUCT_OF: Readonly<Record<string, NewStandardProduct>> = {
  text2video: 'text-to-video',
  image2video: 'image-to-video',
  'omni-video': 'omni-video',
  'motion-control': 'motion-control',
};

export const NEW_STANDARD_SDK_KEY: Record<NewStandardProduct, 'textToVideo' | 'imageToVideo' | 'omniVideo' | 'motionControl'> = {
  'text-to-video': 'textToVideo', 'image-to-video': 'imageToVideo', 'omni-video': 'omniVideo', 'motion-control': 'motionControl',
};

/** The new-standard product a legacy family's command creates with `--model <id>`, if the id is a new-standard model of it. */
export function newStandardTarget(familyName: string, model: string | undefined): NewStandardProduct | undefined {
  const product = NEW_STANDARD_PRODUCT_OF[familyName];
  return product && model && newStandardEndpoint(product, model) ? product : undefined;
}

const RESOLUTION: Record<string, string> = { std: '720p', pro: '1080p', '4k': '4k' };
const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * A body in the new shape from the legacy flags: prompt, mode → resolution, aspect_ratio, duration, sound → audio,
 * multi_shot, frames and references → contents items, callback/external id/watermark → options.
 */
export function newStandardBody(product: NewStandardProduct, legacy: Record<string, any>): Record<string, unknown> {
  if (legacy.contents || legacy.settings || legacy.options) return stripLegacy(legacy);
  const settings: Record<string, unknown> = {};
  if (present(legacy.mode)) settings.resolution = RESOLUTION[legacy.mode] ?? legacy.mode;
  if (present(legacy.aspect_ratio)) settings.aspect_ratio = legacy.aspect_ratio;
  if (present(legacy.duration)) settings.duration = Number(legacy.duration);
  if (present(legacy.sound)) settings.audio = legacy.sound === 'on' ? 'native' : 'off';
  if (present(legacy.multi_shot)) settings.multi_shot = legacy.multi_shot === true || legacy.multi_shot === 'true';
  if (present(legacy.character_orientation)) settings.character_orientation = legacy.character_orientation;
  if (present(legacy.keep_original_sound)) settings.audio = legacy.keep_original_sound === 'no' ? 'off' : 'original';
  const options: Record<string, unknown> = {};
  for (const key of ['callback_url', 'external_task_id', 'watermark_info']) if (present(legacy[key])) options[key] = legacy[key];
  const body: Record<string, unknown> = { settings, ...(Object.keys(options).length ? { options } : {}) };
  if (product === 'text-to-video') return { prompt: legacy.prompt ?? '', ...body };
  const contents: Record<string, unknown>[] = [];
  if (present(legacy.prompt)) contents.push({ type: 'prompt', text: legacy.prompt });
  if (present(legacy.image)) contents.push({ type: 'first_frame', url: legacy.image });
  if (present(legacy.image_tail)) contents.push({ type: 'last_frame', url: legacy.image_tail });
  if (present(legacy.image_url)) contents.push({ type: 'image', url: legacy.image_url });
  if (present(legacy.video_url)) contents.push({ type: 'video', url: legacy.video_url });
  for (const [i, item] of (legacy.image_list ?? []).entries()) {
    const type = item.type === 'first_frame' ? 'first_frame' : item.type === 'end_frame' ? 'last_frame' : 'refer_image';
    contents.push({ type, url: item.image_url, id: `image_${i + 1}` });
  }
  for (const [i, item] of (legacy.video_list ?? []).entries()) {
    contents.push({ type: item.refer_type === 'feature' ? 'feature_video' : 'base_video', url: item.video_url, id: `video_${i + 1}` });
    if (item.keep_original_sound === 'yes') settings.audio = 'original';
  }
  for (const [i, item] of (legacy.element_list ?? []).entries()) contents.push({ type: 'element', element_id: String(item.element_id), id: `element_${i + 1}` });
  return { contents, ...body };
}

/** A --json-body in the new shape is sent as written, without legacy-only keys. */
function stripLegacy(body: Record<string, any>): Record<string, unknown> {
  const { model_name: _model, ...rest } = body;
  return rest;
}

export interface NewStandardRun {
  json?: boolean;
  wait: boolean;
  timeoutMs: number;
  signal: AbortSignal;
  headers: Record<string, string>;
}

/** Creates the task; with `wait`, polls it (a status line on a terminal) and returns the finished record. */
export async function createNewStandard(
  client: Kling, product: NewStandardProduct, model: string, body: Record<string, unknown>, run: NewStandardRun,
): Promise<{ created: { id: string }; task?: NewStandardTask }> {
  const resource = client.newStandard[NEW_STANDARD_SDK_KEY[product]] as unknown as {
    create(model: string, body: unknown, options: object): Promise<{ id: string; status: string; external_id?: string }>;
  };
  const created = await resource.create(model, body, { signal: run.signal, headers: run.headers });
  const external = created.external_id ? ` (external_task_id ${created.external_id})` : '';
  (run.json ? process.stderr : process.stdout).write(`task ${created.id} ${created.status}: ${product}/${model}${external}\n`);
  if (!run.wait) return { created };
  const line = new StatusLine();
  let current = `task ${created.id}  ${created.status}`;
  line.start(() => current);
  try {
    const task = await client.tasks.wait(created.id, {
      timeoutMs: run.timeoutMs, signal: run.signal, throwOnFailure: false,
      onUpdate: (seen) => { current = `task ${seen.id}  ${seen.status}`; },
    });
    return { created, task };
  } finally {
    line.stop();
  }
}

/** The record as the legacy task object, for the download helper (the SDK's asTaskObject). */
export const legacyView = asTaskObject;

/** A new-standard record for people, or as JSON (with the saved files when -o was given). */
export function printRecord(task: NewStandardTask, files: DownloadedFile[] | undefined, options: { json?: boolean }): void {
  if (options.json) {
    const payload = files ? { task, files: files.map((f) => ({ path: f.path, bytes: f.bytes, url: f.url, kind: f.kind })) } : task;
    process.stdout.write(`${JSON.stringify(payload)}\n`);
    return;
  }
  const units = task.billing[0] ? `, ${task.billing[0].amount} units` : '';
  const lines = [`task ${task.id} ${task.status}${units}`];
  if (task.message) lines.push(`  ${task.message}`);
  if (files) for (const f of files) lines.push(`  saved ${f.path}  (${formatBytes(f.bytes)})`);
  else for (const o of task.outputs) lines.push(`  ${o.type}: ${'url' in o ? o.url : 'mp3_url' in o ? o.mp3_url : ''}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The new standard's endpoints for `kiln models` and `kiln endpoints`: command, SDK method, path and capabilities. */
export function newStandardRows(commandOf: (familyName: string) => string | undefined) {
  return newStandardEndpoints.map((e) => {
    const family = Object.entries(NEW_STANDARD_PRODUCT_OF).find(([, p]) => p === e.product)?.[0] ?? '';
    return {
      name: e.name,
      title: e.title,
      command: `${commandOf(family) ?? 'kiln'} --model ${e.modelId}`,
      sdk: `client.newStandard.${NEW_STANDARD_SDK_KEY[e.product]}.create('${e.modelId}', …)`,
      path: e.path,
      model: e.modelId,
      capability: e.capability,
    };
  });
}
