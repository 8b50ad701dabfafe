// `kiln <group> <family> [--flag per field] [--json-body file|-] [--wait] [-o DIR] [--json]`, one command per
// family of the contract (names.ts gives the names, schema-flags.ts the flags). The task id is printed as soon
// as the task exists, before any waiting, so a paid task is never lost.

import fs from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { newStandardEndpoints, type AnyFamily, type CreatedTask, type NewStandardProduct } from '@kiln/sdk/contract';
import { NewStandardTaskFailedError, type ValidationMode } from '@kiln/sdk';
import { addConnectionOptions, makeClient, type ConnectionFlags } from './connection.ts';
import { report } from './failures.ts';
import { familyCommands, singular } from './names.ts';
import { announceCreated, downloadWithProgress, interruptSignal, printOutcome, waitWithProgress } from './run-task.ts';
import { buildBody, flagsFor, type FieldFlag } from './schema-flags.ts';
import {
  createNewStandard, legacyView, NEW_STANDARD_PRODUCT_OF, NEW_STANDARD_SDK_KEY, newStandardBody, newStandardTarget, printRecord,
} from './new-standard.ts';

/** CLI options of the family and action commands: a request field of one of these names gets a `--body-` flag. */
export const RESERVED = new Set([
  'json', 'json-body', 'wait', 'output', 'timeout', 'validation', 'dry-run', 'force', 'watermarked', 'help', 'header',
  'api-key', 'access-key', 'secret-key', 'base-url', 'provider', 'endpoint', 'config',
]);

interface RunFlags extends ConnectionFlags {
  /** A legacy model_name, or a new-standard model id: the model chooses the standard (new-standard.ts). */
  model?: string;
  jsonBody?: string;
  wait?: boolean;
  output?: string;
  timeout: string;
  json?: boolean;
  validation: ValidationMode;
  dryRun?: boolean;
  watermarked?: boolean;
  header?: string[];
}

/** `-H 'Name: value'`, as curl takes it. */
export function parseHeaders(lines: string[] = []): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new InvalidArgumentError(`--header: expected 'Name: value', got '${line}'`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function timeoutMs(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError('--timeout: a number of seconds (0: no limit)');
  return seconds === 0 ? Infinity : seconds * 1000;
}

export function readJsonBody(source: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(source === '-' ? 0 : source, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(`--json-body: cannot read ${source === '-' ? 'stdin' : source}: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`--json-body: not valid JSON (${(error as Error).message})`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new InvalidArgumentError('--json-body: must be a JSON object');
  return body as Record<string, unknown>;
}

export function addRunOptions(command: Command, withWait = true): Command {
  if (withWait) command.option('--wait', 'wait until the task ends, with a live status line on a terminal');
  return command
    .option('-o, --output <dir>', `download the results into DIR${withWait ? ' (implies --wait)' : ''}`)
    .option('--timeout <seconds>', 'give up waiting after this long (the task goes on; 0: no limit)', '1800')
    .option('--json', 'print JSON (the task; with -o, {task, files}) on stdout')
    .option('--watermarked', 'with -o: download the watermarked files');
}

async function run(family: AnyFamily, flags: FieldFlag[], options: RunFlags): Promise<void> {
  const interrupt = interruptSignal();
  let created: CreatedTask | undefined;
  try {
    const base = options.jsonBody ? readJsonBody(options.jsonBody) : {};
    const body = buildBody(flags, options as unknown as Record<string, unknown>, base);
    const wait = Boolean(options.wait || options.output);
    const limit = timeoutMs(options.timeout);
    const client = makeClient(options, { validation: options.validation, onWarning: (m) => process.stderr.write(`kiln: warning: ${m}\n`) });
    const product = newStandardTarget(family.name, options.model);
    if (product) return await runNewStandard(client, product, options.model!, newStandardBody(product, body), { options, wait, limit, interrupt });
    if (options.model) body.model_name = options.model;
    const resource = client.family(family)!;
    if (options.dryRun) {
      if (options.validation !== 'off') resource.validate(body as never);
      process.stdout.write(`${JSON.stringify(body, null, options.json ? undefined : 2)}\n`);
      return;
    }
    created = await resource.create(body as never, { signal: interrupt.signal, headers: parseHeaders(options.header) });
    if (!wait) {
      if (options.json) process.stdout.write(`${JSON.stringify(created)}\n`);
      else announceCreated(created, family.name, options);
      return;
    }
    announceCreated(created, family.name, options);
    const task = await waitWithProgress(resource, created, { timeoutMs: limit, signal: interrupt.signal });
    const files = options.output
      ? await downloadWithProgress(task, options.output, { signal: interrupt.signal, watermarked: options.watermarked })
      : undefined;
    printOutcome(task, files, options);
  } catch (error) {
    if (created && interrupt.signal.aborted) {
      process.stderr.write(`kiln: stopped waiting; task ${created.task_id} goes on. Resume: kiln tasks wait ${created.task_id} --family ${family.name}\n`);
    }
    throw report(error, { familyName: family.name });
  } finally {
    interrupt.dispose();
  }
}

/** `--model <new-standard id>`: the new standard's create, awaited and downloaded the same way. */
async function runNewStandard(
  client: ReturnType<typeof makeClient>, product: NewStandardProduct, model: string, body: Record<string, unknown>,
  run: { options: RunFlags; wait: boolean; limit: number; interrupt: { signal: AbortSignal } },
): Promise<void> {
  const { options } = run;
  if (options.dryRun) {
    if (options.validation !== 'off') (client.newStandard as any)[NEW_STANDARD_SDK_KEY[product]].validate(model, body);
    process.stdout.write(`${JSON.stringify(body, null, options.json ? undefined : 2)}\n`);
    return;
  }
  const { created, task } = await createNewStandard(client, product, model, body, {
    json: options.json, wait: run.wait, timeoutMs: run.limit, signal: run.interrupt.signal, headers: parseHeaders(options.header),
  });
  if (!task) {
    if (options.json) process.stdout.write(`${JSON.stringify(created)}\n`);
    return;
  }
  const files = options.output && task.status === 'succeeded'
    ? await downloadWithProgress(legacyView(task), options.output, { signal: run.interrupt.signal, watermarked: options.watermarked })
    : undefined;
  printRecord(task, files, options);
  if (task.status === 'failed') throw new NewStandardTaskFailedError(task);
}

export function registerFamilies(program: Command): void {
  const groups = new Map<string, Command>();
  for (const entry of familyCommands()) {
    let group = groups.get(entry.group);
    if (!group) {
      const members = familyCommands().filter((c) => c.group === entry.group).map((c) => c.command).join(', ');
      group = program.command(entry.groupCommand).description(`create ${singular(entry.group)} tasks: ${members}`);
      // `audio` is its own singular: commander refuses an alias equal to the name.
      if (entry.group !== entry.groupCommand) group.alias(entry.group);
      groups.set(entry.group, group);
    }
    const { family } = entry;
    const flags = flagsFor(family.request as Record<string, unknown>, RESERVED);
    // The schema types model_name as a string; the family knows which models it takes.
    const model = flags.find((f) => f.path.join('.') === 'model_name');
    if (model) model.option.description = `one of ${Object.keys(family.models).join(', ')}; default ${family.defaultModel}`;
    const command = group
      .command(entry.command)
      .aliases(entry.aliases)
      .description(`${family.title}: POST ${family.path}`);
    for (const flag of flags) command.addOption(flag.option);
    const product = NEW_STANDARD_PRODUCT_OF[family.name];
    if (product) {
      const ids = newStandardEndpoints.filter((e) => e.product === product).map((e) => e.modelId);
      command.option('--model <id>', `a model_name (${Object.keys(family.models).join(', ')}), or a new-standard model (${ids.join(', ')}: POST /${product}/<id>)`);
    }
    command.option('--json-body <file>', "read the request body from a JSON file ('-': stdin); flags override its fields");
    addRunOptions(command);
    command
      .addOption(new Option('--validation <mode>', 'check the request before sending').choices(['error', 'warn', 'off']).default('error'))
      .option('--dry-run', 'validate and print the request body; send nothing')
      .option('-H, --header <line>', "an extra request header, 'Name: value' (repeatable; e.g. kiln's 'X-Kiln-Simulate: fail=1301')",
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    addConnectionOptions(command);
    command.action((options: RunFlags) => run(family, flags, options));
  }
}
