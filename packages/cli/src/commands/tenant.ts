// `kiln tenant add|list`: manage tenants on a data directory (the server may be running on it).

import { InvalidArgumentError, type Command } from 'commander';
import path from 'node:path';
import { loadServer } from '../server-package.ts';

// Loaded when a tenant command runs, so the other commands start without the server's store.
const store = () => loadServer('tenant', () => import('@kiln/server/tenants'));

function limit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('must be an integer from 1 to 10000');
  return n;
}

const dataDir = (dir?: string) => path.resolve(dir ?? process.env.KILN_DATA_DIR ?? '.kiln');

export function registerTenant(program: Command): void {
  const tenant = program.command('tenant').description('manage tenants (accounts) of a kiln data directory');

  tenant
    .command('add <name>')
    .description('create a tenant and print its credentials (shown once)')
    .option('-d, --data-dir <dir>', 'data directory (env KILN_DATA_DIR, default ./.kiln)')
    .option('--video <n>', 'concurrent video tasks', limit)
    .option('--image <n>', 'concurrent image slots (an image task takes n)', limit)
    .option('--try-on <n>', 'concurrent virtual try-on tasks', limit)
    .option('--no-webhook-secret', 'send callbacks unsigned')
    .option('--timing <profile>', "the simulator's timing for this tenant: instant, fast or realistic (default: the server's)")
    .option('--json', 'print the credentials as JSON')
    .action(async (name: string, options) => {
      if (!/^[\w.-]{1,64}$/.test(name)) throw new InvalidArgumentError('tenant name: letters, digits, . _ - (at most 64)');
      const { createTenant, openSqliteStore, tenantByName, isTimingProfile, TIMING_PROFILES } = await store();
      if (options.timing !== undefined && !isTimingProfile(options.timing)) {
        throw new InvalidArgumentError(`--timing must be one of ${TIMING_PROFILES.join(', ')}`);
      }
      const db = await openSqliteStore(dataDir(options.dataDir));
      try {
        if (await tenantByName(db, name)) throw new Error(`a tenant named '${name}' already exists`);
        const issued = await createTenant(db, {
          name,
          limits: { video: options.video, image: options.image, 'try-on': options.tryOn },
          webhookSecret: options.webhookSecret === false ? null : undefined,
          timingProfile: options.timing,
        });
        const shown = {
          api_key: issued.api_key,
          access_key: issued.access_key,
          secret_key: issued.secret_key,
          webhook_secret: issued.webhook_secret,
        };
        if (options.json) console.log(JSON.stringify(shown));
        else {
          console.log(`Tenant '${name}' created. Keep these credentials; they are not shown again:`);
          for (const [k, v] of Object.entries(shown)) console.log(`  ${k}: ${v ?? '(none)'}`);
        }
      } finally {
        await db.destroy();
      }
    });

  tenant
    .command('list')
    .description('list tenants and their concurrency limits (no secrets)')
    .option('-d, --data-dir <dir>', 'data directory (env KILN_DATA_DIR, default ./.kiln)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const { listTenants, openSqliteStore } = await store();
      const db = await openSqliteStore(dataDir(options.dataDir));
      try {
        const rows = (await listTenants(db)).map((t) => ({
          name: t.name, access_key: t.access_key,
          limits: { video: t.limit_video, image: t.limit_image, 'try-on': t.limit_try_on },
          signed_callbacks: t.webhook_secret !== null,
          timing: t.timing_profile ?? 'server default',
        }));
        if (options.json) console.log(JSON.stringify(rows));
        else for (const r of rows) console.log(`${r.name}\taccess_key=${r.access_key}\tvideo=${r.limits.video} image=${r.limits.image} try-on=${r.limits['try-on']}\ttiming=${r.timing}`);
      } finally {
        await db.destroy();
      }
    });
}
