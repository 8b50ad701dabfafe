// `kiln pack add TENANT --type video --units 1000 [--expires …]`: give a tenant a resource pack (spec §6.1), the
// units its succeeded tasks of that type use up.

import { InvalidArgumentError, type Command } from 'commander';
import { onStore, when, withDataDir } from './operator-store.ts';

const DAY_MS = 24 * 3600 * 1000;

/** `30d` from now, or a date/time (2027-01-31, 2027-01-31T12:00:00Z), as Unix milliseconds. */
export function expiry(value: string, now = Date.now()): number {
  const days = /^(\d+)d$/.exec(value);
  if (days) return now + Number(days[1]) * DAY_MS;
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at)) throw new InvalidArgumentError('give a number of days (90d) or a date (2027-01-31)');
  return at;
}

function units(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number of units above 0');
  return n;
}

export function registerPack(program: Command): void {
  const pack = program.command('pack').description("manage tenants' resource packs");

  withDataDir(pack.command('add <tenant>').description('give a tenant a resource pack'))
    .requiredOption('-t, --type <type>', 'video, image or try-on')
    .requiredOption('-u, --units <n>', 'units in the pack', units)
    .option('-e, --expires <when>', 'when it expires: a number of days (90d) or a date (default: in a year)', (v) => expiry(v))
    .option('-n, --name <name>', 'the pack name shown in billing details')
    .option('--json', 'print JSON')
    .action(async (tenant: string, options) => {
      const made = await onStore('pack', options.dataDir, (db, api) => api.addTenantPack(db, tenant, {
        type: options.type, units: options.units, ...(options.expires !== undefined ? { expires_at: options.expires } : {}), ...(options.name ? { name: options.name } : {}),
      }));
      if (options.json) console.log(JSON.stringify(made));
      else console.log(`Pack added to '${tenant}': ${made.total_units} ${made.type} units, ${made.status}, until ${when(made.invalid_time)}.`);
    });

  withDataDir(pack.command('list <tenant>').description("a tenant's resource packs"))
    .option('--json', 'print JSON')
    .action(async (tenant: string, options) => {
      const packs = await onStore('pack', options.dataDir, (db, api) => api.listPacks(db, tenant));
      if (options.json) return console.log(JSON.stringify(packs));
      for (const p of packs) console.log(`${p.type}\t${p.remaining_units}/${p.total_units} units\t${p.status}\tuntil ${when(p.invalid_time)}\t${p.name}`);
    });
}
