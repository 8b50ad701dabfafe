// `kiln <group> <action> [--flag per field] [--json-body file|-] [-o DIR] [--json]`: one command per synchronous
// endpoint of the contract (names.ts: actionCommands), under the families' group commands, with flags from the
// action's request schema (schema-flags.ts). Prints the answer's `data`; exit codes as the family commands.

import { Option, type Command } from 'commander';
import type { ValidationMode } from '@kiln/sdk';
import { summary, mediaLinks, saveMedia } from './action-output.ts';
import { addConnectionOptions, makeClient, type ConnectionFlags } from './connection.ts';
import { parseHeaders, readJsonBody, RESERVED } from './family.ts';
import { report } from './failures.ts';
import { actionCommands, type ActionCommand } from './names.ts';
import { formatBytes } from './progress.ts';
import { interruptSignal } from './run-task.ts';
import { buildBody, flagsFor, type FieldFlag } from './schema-flags.ts';

interface ActionFlags extends ConnectionFlags {
  jsonBody?: string;
  output?: string;
  json?: boolean;
  validation: ValidationMode;
  dryRun?: boolean;
  header?: string[];
}

async function run(entry: ActionCommand, flags: FieldFlag[], options: ActionFlags): Promise<void> {
  const interrupt = interruptSignal();
  const name = `${entry.groupCommand} ${entry.command}`;
  try {
    const base = options.jsonBody ? readJsonBody(options.jsonBody) : {};
    const params = buildBody(flags, options as unknown as Record<string, unknown>, base);
    const client = makeClient(options, { validation: options.validation, onWarning: (m) => process.stderr.write(`kiln: warning: ${m}\n`) });
    const method = client.action(entry.action)!;
    if (options.dryRun) {
      if (options.validation !== 'off') method.validate(params);
      process.stdout.write(`${JSON.stringify(params, null, options.json ? undefined : 2)}\n`);
      return;
    }
    const data = await method(params, { signal: interrupt.signal, headers: parseHeaders(options.header) });
    const files = options.output ? await saveMedia(mediaLinks(data, entry.command), options.output, interrupt.signal) : undefined;
    if (options.json) {
      process.stdout.write(`${JSON.stringify(files ? { data, files } : data)}\n`);
      return;
    }
    const lines = [summary(`${name} (${entry.action.method} ${method.path})`, data)];
    if (files) {
      lines.push(files.length ? files.map((f) => `  saved ${f.path}  (${formatBytes(f.bytes)})`).join('\n') : '  no media in the answer to save');
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    throw report(error);
  } finally {
    interrupt.dispose();
  }
}

/** Adds the action commands; call after registerFamilies so the shared group commands exist. */
export function registerActions(program: Command): void {
  const entries = actionCommands();
  for (const entry of entries) {
    let group = program.commands.find((c) => c.name() === entry.groupCommand);
    if (!group) {
      group = program.command(entry.groupCommand);
      if (entry.group !== entry.groupCommand) group.alias(entry.group);
    }
    const { action } = entry;
    const flags = flagsFor(action.request as Record<string, unknown>, RESERVED);
    const command = group
      .command(entry.command)
      .description(`${action.title}: ${action.method} ${action.path}`)
      .addHelpText('after', `\n${action.description}\nAnswers (data): ${action.response}\nSDK: client.${entry.group}.${entry.key}(…)`);
    for (const flag of flags) command.addOption(flag.option);
    command
      .option('--json-body <file>', "read the request from a JSON file ('-': stdin); flags override its fields")
      .option('-o, --output <dir>', 'download the media the answer links to (audio, video, images) into DIR')
      .option('--json', 'print the answer\'s data as JSON (with -o, {data, files}) on stdout')
      .addOption(new Option('--validation <mode>', 'check the request before sending').choices(['error', 'warn', 'off']).default('error'))
      .option('--dry-run', 'validate and print the request; send nothing')
      .option('-H, --header <line>', "an extra request header, 'Name: value' (repeatable)",
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    addConnectionOptions(command);
    command.action((options: ActionFlags) => run(entry, flags, options));
  }
  // The group commands' descriptions name their endpoints too.
  for (const group of new Set(entries.map((e) => e.groupCommand))) {
    const command = program.commands.find((c) => c.name() === group)!;
    const names = entries.filter((e) => e.groupCommand === group).map((e) => e.command).join(', ');
    command.description([command.description(), `endpoints: ${names}`].filter(Boolean).join('; '));
  }
}
