// `kiln tenant add|list|show|set|remove`: manage the tenants of a kiln store (a server may be running on it). The
// same checks and answers as /admin/tenants: both call the server's tenant-admin functions.

import { InvalidArgumentError, type Command } from 'commander';
import { onStore, when, withDataDir } from './operator-store.ts';
import { PACK_TYPES } from '@kiln/sdk/contract';
import { packCounts, slots, type PackTypeName } from './pack-counts.ts';

/** `--concurrency 5` (every pack type) or `--concurrency video=5,image=20`. */
function concurrency(value: string): Partial<Record<PackTypeName, number>> {
  if (/^\d+$/.test(value)) return Object.fromEntries(PACK_TYPES.map((p) => [p, slots(value)]));
  return packCounts(value, 'give a number, or type=n pairs: video=5,image=20,try-on=2');
}

interface LimitOptions { concurrency?: Record<string, number>; video?: number; image?: number; tryOn?: number }
const limitsOf = (o: LimitOptions) => {
  const given = { ...o.concurrency, video: o.video ?? o.concurrency?.video, image: o.image ?? o.concurrency?.image, 'try-on': o.tryOn ?? o.concurrency?.['try-on'] };
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return Object.keys(set).length ? set : undefined;
};

const limitOptions = (command: Command) => command
  .option('--concurrency <n|type=n,...>', 'concurrent slots: one number for every pack type, or video=5,image=20,try-on=2', concurrency)
  .option('--video <n>', 'concurrent video tasks', slots)
  .option('--image <n>', 'concurrent image slots (an image task takes n)', slots)
  .option('--try-on <n>', 'concurrent virtual try-on tasks', slots);

export function registerTenant(program: Command): void {
  const tenant = program.command('tenant').description('manage tenants (accounts): limits, timing; keys with `kiln key`, packs with `kiln pack`');

  limitOptions(withDataDir(tenant.command('add <name>').description('create a tenant and print its credentials (shown once)')))
    .option('--no-webhook-secret', 'send callbacks unsigned')
    .option('--timing <profile>', "the simulator's timing for this tenant: instant, fast or realistic (default: the server's)")
    .option('--engine <engine>', 'where its tasks are made: simulator (default) or relay (the upstream Kling account)')
    .option('--json', 'print the credentials as JSON')
    .action(async (name: string, options) => {
      const issued = await onStore('tenant', options.dataDir, (db, api) => api.addTenant(db, {
        name, concurrency: limitsOf(options), timing: options.timing, engine: options.engine, ...(options.webhookSecret === false ? { signed_callbacks: false } : {}),
      }));
      const shown = { api_key: issued.api_key, access_key: issued.access_key, secret_key: issued.secret_key, webhook_secret: issued.webhook_secret };
      if (options.json) console.log(JSON.stringify(shown));
      else {
        console.log(`Tenant '${name}' created. Keep these credentials; they are not shown again:`);
        for (const [k, v] of Object.entries(shown)) console.log(`  ${k}: ${v ?? '(none)'}`);
      }
    });

  withDataDir(tenant.command('list').description('list tenants and their limits (no secrets)'))
    .option('--json', 'print JSON')
    .action(async (options) => {
      const rows = await onStore('tenant', options.dataDir, (db, api) => api.listTenantViews(db));
      if (options.json) console.log(JSON.stringify(rows));
      else for (const r of rows) {
        console.log(`${r.name}\tvideo=${r.concurrency.video} image=${r.concurrency.image} try-on=${r.concurrency['try-on']}\ttiming=${r.timing ?? 'server default'}\tengine=${r.engine}\tcallbacks=${r.signed_callbacks ? 'signed' : 'unsigned'}`);
      }
    });

  withDataDir(tenant.command('show <name>').description('a tenant: limits, keys (no secrets), resource packs, slots in use'))
    .option('--json', 'print JSON')
    .action(async (name: string, options) => {
      const t = await onStore('tenant', options.dataDir, (db, api) => api.showTenant(db, name));
      if (options.json) return console.log(JSON.stringify(t));
      console.log(`${t.name}  (id ${t.id}, created ${when(t.created_at)})`);
      console.log(`  concurrency  video=${t.concurrency.video} image=${t.concurrency.image} try-on=${t.concurrency['try-on']}  (in use: video=${t.slots_in_use.video} image=${t.slots_in_use.image} try-on=${t.slots_in_use['try-on']})`);
      console.log(`  timing       ${t.timing ?? 'server default'}`);
      console.log(`  engine       ${t.engine}`);
      console.log(`  callbacks    ${t.signed_callbacks ? 'signed' : 'unsigned'}`);
      console.log('  keys');
      for (const k of t.keys) console.log(`    ${k.name}\t${k.type}${k.access_key ? ` ${k.access_key}` : ''}\tcreated ${when(k.created_at)}\tlast used ${when(k.last_used_at)}${k.revoked_at ? `\tREVOKED ${when(k.revoked_at)}` : ''}`);
      console.log('  packs');
      for (const p of t.packs) console.log(`    ${p.type}\t${p.remaining_units}/${p.total_units} units\t${p.status}\tuntil ${when(p.invalid_time)}\t${p.name}`);
    });

  limitOptions(withDataDir(tenant.command('set <name>').description("change a tenant's concurrency limits, simulator timing or engine")))
    .option('--timing <profile>', "instant, fast or realistic; 'server' to follow the server's")
    .option('--engine <engine>', 'simulator or relay: where its new tasks are made (running ones finish where they are)')
    .option('--json', 'print JSON')
    .action(async (name: string, options) => {
      const timing = options.timing === 'server' ? null : options.timing;
      const limits = limitsOf(options);
      if (!limits && timing === undefined && options.engine === undefined) {
        throw new InvalidArgumentError('nothing to change: give --concurrency, --video, --image, --try-on, --timing or --engine');
      }
      const t = await onStore('tenant', options.dataDir, (db, api) => api.setTenant(db, name, {
        ...(limits ? { concurrency: limits } : {}), ...(timing !== undefined ? { timing } : {}), ...(options.engine !== undefined ? { engine: options.engine } : {}),
      }));
      if (options.json) console.log(JSON.stringify(t));
      else console.log(`${t.name}: video=${t.concurrency.video} image=${t.concurrency.image} try-on=${t.concurrency['try-on']} timing=${t.timing ?? 'server default'} engine=${t.engine}`);
    });

  withDataDir(tenant.command('remove <name>').description('remove a tenant with its keys and packs (refused while it has unfinished tasks)'))
    .action(async (name: string, options) => {
      await onStore('tenant', options.dataDir, (db, api) => api.dropTenant(db, name));
      console.log(`Tenant '${name}' removed; its keys no longer work.`);
    });
}
