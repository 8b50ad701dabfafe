// The operator commands (serve, tenant, …) open the server's data, so they need @kiln/server. The CLI does not
// depend on it: it is loaded when one of these commands runs, and when it is not installed the command says how to
// get it instead of printing a module-resolution stack.

import { CliExit } from './commands/failures.ts';
import { EXIT } from './exit-codes.ts';

const isServerMissing = (error: unknown) => {
  const e = error as { code?: string; message?: string };
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && /'@kiln\/server['/]/.test(e.message ?? '');
};

/** `load()` (an `import('@kiln/server/…')`), or a CliExit after explaining how to install the server. */
export async function loadServer<T>(command: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isServerMissing(error)) throw error;
    process.stderr.write(
      `kiln: \`kiln ${command}\` runs the kiln server's code, and the server package (@kiln/server) is not installed.\n`
      + `kiln: run it from a checkout of the kiln repository (npm install there, then npx kiln ${command}), `
      + 'or install the server package where @kiln/cli is installed.\n',
    );
    throw new CliExit(EXIT.failure);
  }
}
