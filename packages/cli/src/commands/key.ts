// `kiln key add|list|revoke TENANT`: a tenant's named API keys and access-key/secret-key pairs. A revoked key is
// refused with 1002 by every server process from its next request (there is no credential cache to wait out).

import { InvalidArgumentError, type Command } from 'commander';
import { onStore, when, withDataDir } from './operator-store.ts';

const TYPES: Record<string, 'api_key' | 'access_key'> = { 'api-key': 'api_key', api_key: 'api_key', 'ak-sk': 'access_key', access_key: 'access_key' };

function keyType(value: string): 'api_key' | 'access_key' {
  const type = TYPES[value];
  if (!type) throw new InvalidArgumentError('must be api-key (a Bearer token) or ak-sk (an access-key/secret-key pair for JWTs)');
  return type;
}

/** A default name that sorts by creation: key-20270102-030405. */
const defaultName = (now = new Date()) => `key-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;

export function registerKey(program: Command): void {
  const key = program.command('key').description("manage a tenant's API keys and AK/SK pairs (several, named, revocable one by one)");

  withDataDir(key.command('add <tenant>').description('add a key and print it (shown once)'))
    .option('-n, --name <name>', 'the key name (default key-<date>-<time>)')
    .option('-t, --type <type>', 'api-key or ak-sk', keyType, 'api_key' as const)
    .option('--json', 'print JSON')
    .action(async (tenant: string, options) => {
      const issued = await onStore('key', options.dataDir, (db, api) => api.addKey(db, tenant, { name: options.name ?? defaultName(), type: options.type }));
      if (options.json) return console.log(JSON.stringify(issued));
      console.log(`Key '${issued.name}' added to '${tenant}'. Keep it; it is not shown again:`);
      if (issued.api_key) console.log(`  export KLING_API_KEY='${issued.api_key}'`);
      else console.log(`  export KLING_ACCESS_KEY='${issued.access_key}'\n  export KLING_SECRET_KEY='${issued.secret_key}'`);
    });

  withDataDir(key.command('list <tenant>').description("a tenant's keys with when each was made and last used (no secrets)"))
    .option('--json', 'print JSON')
    .action(async (tenant: string, options) => {
      const keys = await onStore('key', options.dataDir, (db, api) => api.listKeys(db, tenant));
      if (options.json) return console.log(JSON.stringify(keys));
      for (const k of keys) {
        console.log(`${k.name}\t${k.type}${k.access_key ? ` ${k.access_key}` : ''}\tcreated ${when(k.created_at)}\tlast used ${when(k.last_used_at)}\t${k.revoked_at ? `revoked ${when(k.revoked_at)}` : 'live'}`);
      }
    });

  withDataDir(key.command('revoke <tenant> <name>').description('revoke one key; the tenant\'s other keys keep working'))
    .action(async (tenant: string, name: string, options) => {
      await onStore('key', options.dataDir, (db, api) => api.revokeTenantKey(db, tenant, name));
      console.log(`Key '${name}' of '${tenant}' revoked: requests with it now get 1002.`);
    });
}
