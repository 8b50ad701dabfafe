// `kiln` — the command line: serve the API, manage tenants, create and follow tasks, call the synchronous endpoints
// (via @kiln/sdk).

import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { registerServe } from './commands/serve.ts';
import { registerMigrateStore } from './commands/migrate-store.ts';
import { registerTenant } from './commands/tenant.ts';
import { registerKey } from './commands/key.ts';
import { registerPack } from './commands/pack.ts';
import { registerUpstream } from './commands/upstream.ts';
import { registerBackup } from './commands/backup.ts';
import { registerFamilies } from './commands/family.ts';
import { registerTasks } from './commands/tasks.ts';
import { registerModels } from './commands/models.ts';
import { registerActions } from './commands/action.ts';
import { registerEndpoints } from './commands/endpoints.ts';
import { CliExit } from './commands/failures.ts';
import { EXIT } from './exit-codes.ts';

// The package's own version: ../package.json from src/main.ts in a checkout and from dist/main.js when installed.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('kiln')
  .description('kiln: a Kling-compatible generation API — server, simulator and tools')
  .version(version, '-V, --version', 'print the version of kiln')
  .exitOverride();

registerServe(program);
registerMigrateStore(program);
registerTenant(program);
registerKey(program);
registerPack(program);
registerUpstream(program);
registerBackup(program);
registerFamilies(program);
registerActions(program);
registerTasks(program);
registerModels(program);
registerEndpoints(program);
usageAfterErrors(program);

/** A wrong flag or argument prints commander's error and one line: the command's usage, and where the rest is. */
function usageAfterErrors(command: Command, parents = ''): void {
  const name = `${parents}${command.name()}`;
  command.showHelpAfterError(`usage: ${name} ${command.usage()}  (${name} --help for more)`);
  for (const sub of command.commands) usageAfterErrors(sub, `${name} `);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Reported by the command already.
  if (error instanceof CliExit) process.exit(error.exitCode);
  const code = (error as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exit(EXIT.ok);
  // Thrown by an action (commander has not printed it).
  if (error instanceof InvalidArgumentError) {
    console.error(`kiln: ${error.message}`);
    process.exit(EXIT.invalidInput);
  }
  // Parse errors: commander has printed them already.
  if (typeof code === 'string' && code.startsWith('commander.')) process.exit(EXIT.invalidInput);
  console.error(`kiln: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(EXIT.failure);
}
