// `kiln` — the command line: serve the API, manage tenants.

import { Command, InvalidArgumentError } from 'commander';
import { registerServe } from './commands/serve.ts';
import { registerTenant } from './commands/tenant.ts';
import { EXIT } from './exit-codes.ts';

const program = new Command()
  .name('kiln')
  .description('kiln: a Kling-compatible generation API — server, simulator and tools')
  .showHelpAfterError()
  .exitOverride();

registerServe(program);
registerTenant(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
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
