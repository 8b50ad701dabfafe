// `kiln models`: every family the contract defines, its command, endpoint and pack, and each model with the
// capabilities the contract gives it; then the synchronous endpoints (text only: --json stays a list of families).
// Read from the contract, so it needs no server and no credentials.

import type { Command } from 'commander';
import { actionLines } from './endpoints.ts';
import { familyCommands } from './names.ts';
import { newStandardRows } from './new-standard.ts';

function capability(value: unknown): string {
  if (Array.isArray(value)) return value.join('/');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${capability(v)}`).join(', ')}}`;
  }
  return String(value);
}

export function modelsReport() {
  const legacy = familyCommands().map((c) => ({
    standard: 'legacy' as const,
    family: c.family.name,
    title: c.family.title,
    command: `kiln ${c.groupCommand} ${c.command}`,
    sdk: `client.${c.group}.${c.key}`,
    path: c.family.path,
    pack: c.family.pack,
    result: c.family.result,
    default_model: c.family.defaultModel,
    models: c.family.models as Record<string, unknown>,
  }));
  // The new standard: one entry per product × model, the model in the path.
  const commandOf = (name: string) => legacy.find((f) => f.family === name)?.command;
  const newStandard = newStandardRows(commandOf).map((r) => ({
    standard: 'new' as const,
    family: r.name,
    title: r.title,
    command: r.command,
    sdk: r.sdk,
    path: r.path,
    pack: 'video',
    result: 'outputs',
    default_model: r.model,
    models: { [r.model]: r.capability } as Record<string, unknown>,
  }));
  return [...legacy, ...newStandard];
}

const NEW_HEADING = 'New standard (model in the path, API key only; tasks: kiln tasks get):';

export function registerModels(program: Command): void {
  program
    .command('models')
    .description('list families, their commands and models with capabilities (from the contract)')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const report = modelsReport();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const lines: string[] = [];
      for (const f of report) {
        if (f.standard === 'new' && !lines.includes(NEW_HEADING)) lines.push(NEW_HEADING, '');
        lines.push(`${f.command.padEnd(26)} ${f.title} — POST ${f.path} (pack: ${f.pack}, results: ${f.result})`);
        for (const [name, caps] of Object.entries(f.models)) {
          const details = caps && typeof caps === 'object'
            ? Object.entries(caps as Record<string, unknown>).map(([k, v]) => `${k} ${capability(v)}`).join(' · ')
            : '';
          lines.push(`  ${name}${name === f.default_model ? ' (default)' : ''}${details ? `  ${details}` : ''}`);
        }
        lines.push('');
      }
      // The synchronous endpoints have no models; listed so every endpoint shows here (details: kiln endpoints).
      lines.push('Synchronous endpoints (no models; kiln endpoints lists every endpoint):', ...actionLines().map((l) => `  ${l}`), '');
      process.stdout.write(lines.join('\n'));
    });
}
