// What the task runner reports as a task moves: each status change (a log line, and a count when the task ends) and
// each render (its time, and the bytes its outputs took in storage).

import fs from 'node:fs/promises';
import path from 'node:path';
import type { KilnMetrics, TaskLabels } from './kiln-metrics.ts';
import { logTransition, type TransitionLog } from './transition-log.ts';

type ObservedTask = TaskLabels & { id: string; tenant_id: string };

export interface TaskObserver {
  transitioned(task: ObservedTask, from: string, to: string): void;
  /** A render that began at `startedAt` (performance.now()) left its outputs in `outputDir`. */
  rendered(task: ObservedTask, startedAt: number, outputDir: string): Promise<void>;
}

export function taskObserver(metrics: KilnMetrics, log: TransitionLog): TaskObserver {
  return {
    transitioned(task, from, to) {
      logTransition(log, task, from, to);
      if (to === 'succeed' || to === 'failed') metrics.taskFinished(task, to);
    },
    async rendered(task, startedAt, outputDir) {
      metrics.rendered(task, (performance.now() - startedAt) / 1000);
      // The folder holds what this render wrote (and any large inputs kept beside them at create, written once too).
      metrics.bytesStored(await folderBytes(outputDir));
    },
  };
}

async function folderBytes(dir: string): Promise<number> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const sizes = await Promise.all(entries.filter((e) => e.isFile())
    .map((e) => fs.stat(path.join(dir, e.name)).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0);
}
