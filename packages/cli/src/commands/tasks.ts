// `kiln tasks get|list|wait|download`: tasks already created, by task id or external task id. Kling keeps tasks
// per family, so without --family every family is asked (in parallel) and the one that knows the id answers.

import { InvalidArgumentError, type Command } from 'commander';
import { TASK_NOT_FOUND_CODE, httpStatusOf, isTaskNotFound, taskNotFoundMessage, type AnyFamily } from '@kiln/sdk/contract';
import { InvalidRequestError, type FamilyResource, type Kling, type TaskObject } from '@kiln/sdk';
import { addConnectionOptions, makeClient, type ConnectionFlags } from './connection.ts';
import { report } from './failures.ts';
import { addRunOptions, timeoutMs } from './family.ts';
import { familyNames, findFamily } from './names.ts';
import { downloadWithProgress, interruptSignal, printOutcome, waitWithProgress } from './run-task.ts';
import { printRecord } from './new-standard.ts';

interface TaskFlags extends ConnectionFlags {
  family?: string;
  json?: boolean;
  output?: string;
  timeout?: string;
  force?: boolean;
  watermarked?: boolean;
  page?: string;
  pageSize?: string;
  all?: boolean;
}

function resources(client: Kling, family?: string): FamilyResource<AnyFamily>[] {
  if (!family) return client.families();
  const found = findFamily(family);
  if (!found) throw new InvalidArgumentError(`--family: unknown family '${family}'; one of ${familyNames()}`);
  return [client.family(found.family)!];
}

/** The task and the family it belongs to. */
async function locate(client: Kling, id: string, family?: string): Promise<{ resource: FamilyResource<AnyFamily>; task: TaskObject }> {
  const candidates = resources(client, family);
  const answers = await Promise.allSettled(candidates.map((r) => r.get(id)));
  const found = answers.findIndex((a) => a.status === 'fulfilled');
  if (found >= 0) return { resource: candidates[found], task: (answers[found] as PromiseFulfilledResult<TaskObject>).value };
  const other = answers.find((a) => a.status === 'rejected' && !(a.reason instanceof InvalidRequestError && isTaskNotFound(a.reason)));
  if (other) throw (other as PromiseRejectedResult).reason;
  if (candidates.length === 1) throw (answers[0] as PromiseRejectedResult).reason;
  // Kling's own answer for an unknown task, with the families that were asked.
  throw new InvalidRequestError(`${taskNotFoundMessage(id)} (asked every family: ${familyNames()})`, {
    code: TASK_NOT_FOUND_CODE, httpStatus: httpStatusOf(TASK_NOT_FOUND_CODE),
  });
}

/**
 * Each id as its family answers it (the legacy task object); ids no family knows — a new-standard task, which the
 * legacy paths do not show — are read in one batch through `GET /tasks` and shown as new-standard records.
 */
async function getTasks(client: Kling, ids: string[], options: TaskFlags): Promise<void> {
  const unknown: string[] = [];
  for (const id of ids) {
    try {
      printOutcome((await locate(client, id, options.family)).task, undefined, options);
    } catch (error) {
      if (options.family || !(error instanceof InvalidRequestError && isTaskNotFound(error))) throw error;
      unknown.push(id);
    }
  }
  if (!unknown.length) return;
  const byId = await client.tasks.get(unknown);
  const byExternal = byId.missing.length ? await client.tasks.get(byId.missing, { by: 'external_task_ids' }) : { tasks: [], missing: [] };
  for (const task of [...byId.tasks, ...byExternal.tasks]) printRecord(task, undefined, options);
  if (byExternal.missing.length) {
    throw new InvalidRequestError(`${taskNotFoundMessage(byExternal.missing.join(', '))} (asked every family: ${familyNames()}; and GET /tasks)`, {
      code: TASK_NOT_FOUND_CODE, httpStatus: httpStatusOf(TASK_NOT_FOUND_CODE),
    });
  }
}

const positive = (name: string, value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name}: a whole number from 1`);
  return n;
};

function row(task: TaskObject, family: string): string {
  const created = new Date(task.created_at).toISOString().replace('T', ' ').slice(0, 19);
  return [task.task_id, family.padEnd(18), task.task_status.padEnd(10), created, task.task_info?.external_task_id ?? ''].join('  ');
}

async function list(client: Kling, options: TaskFlags): Promise<void> {
  const pageSize = positive('--page-size', options.pageSize, 30);
  const pageNum = positive('--page', options.page, 1);
  const rows: { task: TaskObject; family: string }[] = [];
  for (const resource of resources(client, options.family)) {
    if (options.all) {
      for await (const task of resource.listAll({ pageSize: Math.min(pageSize, 500) })) rows.push({ task, family: resource.family.name });
    } else {
      for (const task of await resource.list({ pageNum, pageSize })) rows.push({ task, family: resource.family.name });
    }
  }
  rows.sort((a, b) => b.task.created_at - a.task.created_at);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows.map((r) => ({ family: r.family, ...r.task })))}\n`);
    return;
  }
  if (!rows.length) process.stdout.write('no tasks\n');
  for (const r of rows) process.stdout.write(`${row(r.task, r.family)}\n`);
}

function action(what: (client: Kling, options: TaskFlags, id?: string) => Promise<void>) {
  return async (...args: unknown[]) => {
    const id = typeof args[0] === 'string' ? args[0] : undefined;
    const options = (id ? args[1] : args[0]) as TaskFlags;
    try {
      await what(makeClient(options), options, id);
    } catch (error) {
      throw report(error, { familyName: options.family });
    }
  };
}

export function registerTasks(program: Command): void {
  const tasks = program.command('tasks').description('tasks already created: get, list, wait for, download');
  const familyOption = (c: Command) => c.option('--family <name>', `the task's family (default: look in every family): ${familyNames()}`);

  addConnectionOptions(familyOption(tasks.command('get <ids...>').description('show tasks of either standard by task id or external task id'))
    .option('--json', 'print each task as JSON (one line each)'))
    .action(async (ids: string[], options: TaskFlags) => {
      try {
        await getTasks(makeClient(options), ids, options);
      } catch (error) {
        throw report(error, { familyName: options.family });
      }
    });

  addConnectionOptions(familyOption(tasks.command('list').description('list tasks, newest first'))
    .option('--page <n>', 'page number (1–1000)')
    .option('--page-size <n>', 'tasks per page (1–500, default 30)')
    .option('--all', 'every page')
    .option('--json', 'print JSON'))
    .action(action(list));

  addConnectionOptions(addRunOptions(familyOption(tasks.command('wait <id>').description('wait until a task ends; -o downloads its results')), false))
    .action(action(async (client, options, id) => {
      const interrupt = interruptSignal();
      try {
        const { resource, task } = await locate(client, id!, options.family);
        const done = await waitWithProgress(resource, task, { timeoutMs: timeoutMs(options.timeout ?? '1800'), signal: interrupt.signal });
        const files = options.output
          ? await downloadWithProgress(done, options.output, { signal: interrupt.signal, watermarked: options.watermarked })
          : undefined;
        printOutcome(done, files, options);
      } finally {
        interrupt.dispose();
      }
    }));

  addConnectionOptions(familyOption(tasks.command('download <id>').description("save a finished task's results (resumes interrupted downloads)"))
    .option('-o, --output <dir>', 'directory to save into', '.')
    .option('--watermarked', 'download the watermarked files')
    .option('--force', 'try even when the results are past their 30-day expiry')
    .option('--json', 'print {task, files} as JSON'))
    .action(action(async (client, options, id) => {
      const interrupt = interruptSignal();
      try {
        const { task } = await locate(client, id!, options.family);
        const files = await downloadWithProgress(task, options.output ?? '.', {
          signal: interrupt.signal, force: options.force, watermarked: options.watermarked,
        });
        printOutcome(task, files, options);
      } finally {
        interrupt.dispose();
      }
    }));
}
