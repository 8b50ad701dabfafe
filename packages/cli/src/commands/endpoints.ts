// `kiln endpoints`: every endpoint of the contract — the task families (create, query, list) and the synchronous
// endpoints — with the command and the SDK method for each. Read from the contract: no server, no credentials.

import type { Command } from 'commander';
import { actionCommands, familyCommands } from './names.ts';
import { newStandardRows } from './new-standard.ts';

export interface EndpointRow {
  /** A legacy task family, a synchronous endpoint, or the new standard (model in the path, `/tasks`). */
  kind: 'family' | 'action' | 'new-standard';
  name: string;
  title: string;
  command: string;
  sdk: string;
  endpoints: string[];
}

export function endpointsReport(): EndpointRow[] {
  const families: EndpointRow[] = familyCommands().map((c) => ({
    kind: 'family',
    name: c.family.name,
    title: c.family.title,
    command: `kiln ${c.groupCommand} ${c.command}`,
    sdk: `client.${c.group}.${c.key}`,
    endpoints: [`POST ${c.family.path}`, `GET ${c.family.path}/{task_id}`, `GET ${c.family.path}?pageNum&pageSize`],
  }));
  const actions: EndpointRow[] = actionCommands().map((c) => ({
    kind: 'action',
    name: c.action.name,
    title: c.action.title,
    command: `kiln ${c.groupCommand} ${c.command}`,
    sdk: `client.${c.group}.${c.key}`,
    endpoints: [`${c.action.method} ${c.action.path}`],
  }));
  const commandOf = (name: string) => families.find((f) => f.name === name)?.command;
  const newStandard: EndpointRow[] = [
    ...newStandardRows(commandOf).map((r) => ({
      kind: 'new-standard' as const, name: r.name, title: r.title, command: r.command, sdk: r.sdk, endpoints: [`POST ${r.path}`],
    })),
    {
      kind: 'new-standard', name: 'tasks', title: 'Tasks of both standards (batch by ids; cursor pages)', command: 'kiln tasks get <id…>',
      sdk: 'client.tasks.get(ids) / client.tasks.list()', endpoints: ['GET /tasks?task_ids=…|external_task_ids=…', 'POST /tasks'],
    },
  ];
  return [...families, ...actions, ...newStandard];
}

/** A row for people: the command, the title and the (create) endpoint. */
export const endpointLine = (r: EndpointRow) => `${r.command.padEnd(42)} ${r.title} — ${r.endpoints[0]}`;

/** One line per synchronous endpoint, for people. */
export const actionLines = () => endpointsReport().filter((r) => r.kind === 'action').map(endpointLine);

export function registerEndpoints(program: Command): void {
  program
    .command('endpoints')
    .description('list every endpoint: task families and synchronous endpoints, with their commands and SDK methods')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const report = endpointsReport();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const lines = ['Task families (tasks are queried with kiln tasks get|list|wait):'];
      for (const r of report.filter((row) => row.kind === 'family')) lines.push(`  ${endpointLine(r)}`);
      lines.push('', 'Synchronous endpoints:', ...actionLines().map((l) => `  ${l}`));
      lines.push('', 'New standard (model in the path, API key only; the legacy and new paths share one task store):');
      for (const r of report.filter((row) => row.kind === 'new-standard')) lines.push(`  ${r.command.padEnd(42)} ${r.title} — ${r.endpoints.join(', ')}`);
      lines.push('');
      process.stdout.write(lines.join('\n'));
    });
}
