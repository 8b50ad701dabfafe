// What `kiln <group> <family>` and `kiln tasks wait|download` share: waiting with a live status line, downloading
// with a progress bar, Ctrl-C that stops waiting (not the task), and printing the outcome for people or as JSON.

import type { AnyFamily } from '@kiln/sdk/contract';
import { taskOutputs, type FamilyResource, type TaskObject } from '@kiln/sdk';
import { download, type DownloadedFile } from '@kiln/sdk/node';
import { bar, formatBytes, formatDuration, StatusLine } from './progress.ts';

export interface OutputOptions {
  json?: boolean;
}

/** An AbortSignal that fires on Ctrl-C (SIGINT) or SIGTERM while a command waits. */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

function statusText(task: TaskObject, queuedFor: number | undefined): string {
  const elapsed = formatDuration(Date.now() - (task.created_at || Date.now()));
  const queue = task.task_status === 'submitted'
    ? 'in queue'
    : queuedFor !== undefined ? `queued ${formatDuration(queuedFor)}, then running` : 'running';
  return `task ${task.task_id}  ${task.task_status}  ${elapsed}  (${queue})`;
}

/** Waits for the task, drawing its status on a terminal; resolves with the succeeded task. */
export async function waitWithProgress(
  resource: FamilyResource<AnyFamily>, task: TaskObject, options: { timeoutMs?: number; signal?: AbortSignal },
): Promise<TaskObject> {
  const line = new StatusLine();
  let current = task;
  let queuedFor: number | undefined;
  line.start(() => statusText(current, queuedFor));
  try {
    return await resource.wait(task, {
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onUpdate: (seen) => {
        if (queuedFor === undefined && seen.task_status !== 'submitted' && current.task_status === 'submitted') {
          queuedFor = Math.max(0, seen.updated_at - seen.created_at);
        }
        current = seen;
      },
    });
  } finally {
    line.stop();
  }
}

/** Downloads every output into `dir`, with one progress bar per file on a terminal. */
export async function downloadWithProgress(
  task: TaskObject, dir: string, options: { signal?: AbortSignal; force?: boolean; watermarked?: boolean },
): Promise<DownloadedFile[]> {
  const line = new StatusLine();
  try {
    return await download(task, dir, {
      ...options,
      onProgress: ({ output, received, total }) => {
        const name = output?.fileName ?? '';
        line.draw(total
          ? `${name} ${bar(received / total)} ${Math.floor((100 * received) / total)}%  ${formatBytes(received)} / ${formatBytes(total)}`
          : `${name} ${formatBytes(received)}`);
      },
    });
  } finally {
    line.stop();
  }
}

/** The final output: the task (and saved files) as JSON, or a short report for people. */
export function printOutcome(task: TaskObject, files: DownloadedFile[] | undefined, options: OutputOptions): void {
  if (options.json) {
    const payload = files ? { task, files: files.map((f) => ({ path: f.path, bytes: f.bytes, url: f.url, kind: f.kind })) } : task;
    process.stdout.write(`${JSON.stringify(payload)}\n`);
    return;
  }
  const took = task.updated_at && task.created_at ? ` in ${formatDuration(task.updated_at - task.created_at)}` : '';
  const units = task.final_unit_deduction ? `, ${task.final_unit_deduction} units` : '';
  const lines = [`task ${task.task_id} ${task.task_status}${took}${units}`];
  if (task.task_status_msg) lines.push(`  ${task.task_status_msg}`);
  if (files) {
    for (const f of files) lines.push(`  saved ${f.path}  (${formatBytes(f.bytes)})`);
  } else {
    for (const o of taskOutputs(task)) lines.push(`  ${o.kind} ${o.index}: ${o.url}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The line that makes a paid task findable before any waiting: on stderr in --json mode, stdout otherwise. */
export function announceCreated(task: TaskObject, familyName: string, options: OutputOptions): void {
  const external = task.task_info?.external_task_id ? ` (external_task_id ${task.task_info.external_task_id})` : '';
  const text = `task ${task.task_id} ${task.task_status}: ${familyName}${external}\n`;
  (options.json ? process.stderr : process.stdout).write(text);
}
