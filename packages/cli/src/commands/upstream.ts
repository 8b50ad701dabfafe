// `kiln upstream add|list|show|set|remove`: the Kling accounts (Kling itself, resellers) relay tenants' tasks go to,
// kept in the store of a data directory (or KILN_DATABASE_URL) while a server runs on it: the server routes by a
// change within a second. The same checks and answers as /admin/upstreams (both call the server's upstream-admin
// functions); secrets are sealed with the data directory's master key (or KILN_MASTER_KEY) and never printed.

import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { onStore, when, withDataDir, type OperatorApi } from './operator-store.ts';
import { packCounts } from './pack-counts.ts';

type Db = Parameters<OperatorApi['listUpstreamViews']>[0];
type View = Awaited<ReturnType<OperatorApi['showUpstream']>>;

/** `PATH` (every model) and/or `MODEL=PATH` pairs, comma-separated. */
function endpointPaths(value: string): { default?: string; perModel: Record<string, string> } {
  const out: { default?: string; perModel: Record<string, string> } = { perModel: {} };
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) out.default = part;
    else if (eq === 0 || eq === part.length - 1) throw new InvalidArgumentError('give MODEL=PATH pairs (and one PATH for the other models)');
    else out.perModel[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

const list = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);

function priority(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('must be an integer (higher goes first)');
  return Number(value);
}

/** The body fields the flags give (undefined ones left out). */
function bodyOf(o: Record<string, any>): Record<string, unknown> {
  const paths = o.endpointPath as ReturnType<typeof endpointPaths> | undefined;
  const body: Record<string, unknown> = {
    base_url: o.baseUrl, path_style: o.pathStyle, api_key: o.apiKey, access_key: o.accessKey, secret_key: o.secretKey,
    endpoint_path: paths?.default, endpoint_paths: paths && Object.keys(paths.perModel).length ? paths.perModel : undefined,
    concurrency: o.concurrency, models: o.models, families: o.families, priority: o.priority, webhook_secret: o.webhookSecret, results: o.results,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

const FLAGS: Record<string, string> = {
  name: 'NAME', base_url: '--base-url', path_style: '--path-style', api_key: '--api-key', access_key: '--access-key', secret_key: '--secret-key',
  endpoint_path: '--endpoint-path', endpoint_paths: '--endpoint-path', concurrency: '--concurrency', models: '--models', families: '--families',
  priority: '--priority', webhook_secret: '--webhook-secret', results: '--results',
};

/** Runs on the store with the master key; an error about a body field names the flag that gave it. */
async function onUpstreams<T>(dataDir: string | undefined, use: (db: Db, api: OperatorApi, box: ReturnType<OperatorApi['openSecretBox']>) => Promise<T>): Promise<T> {
  const dir = path.resolve(dataDir ?? process.env.KILN_DATA_DIR ?? '.kiln');
  try {
    return await onStore('upstream', dataDir, (db, api) => use(db, api, api.openSecretBox(dir, process.env.KILN_MASTER_KEY || undefined)));
  } catch (error) {
    if (error instanceof Error) {
      const field = /^([a-z_]+)(?=[.:/\[ ])/.exec(error.message)?.[1];
      if (field && FLAGS[field]) error.message = FLAGS[field] + error.message.slice(field.length);
    }
    throw error;
  }
}

function print(u: View): void {
  console.log(`${u.name}  ${u.base_url}  (${u.path_style}, created ${when(u.created_at)}, changed ${when(u.updated_at)})`);
  console.log(`  sign-in         ${u.api_key_set ? 'API key (set)' : `access key ${u.access_key}, secret key ${u.secret_key_set ? '(set)' : '(not set)'}`}`);
  const paths = Object.entries(u.endpoint_paths).map(([m, p]) => `${m}=${p}`);
  if (u.endpoint_path || paths.length) console.log(`  endpoint paths  ${[...(u.endpoint_path ? [u.endpoint_path] : []), ...paths].join(',')}`);
  const limits = Object.entries(u.concurrency).map(([k, v]) => `${k}=${v}`).join(' ');
  console.log(`  concurrency     ${limits || 'no limit (the upstream\'s 1303 answered by waiting)'}`);
  const lowered = Object.entries(u.concurrency_now).filter(([k, v]) => v !== u.concurrency[k as keyof typeof u.concurrency]);
  if (lowered.length) console.log(`  kept to now     ${lowered.map(([k, v]) => `${k}=${v}`).join(' ')} (after the upstream's 1303; one slot back a minute)`);
  console.log(`  models          ${u.models.length ? u.models.join(',') : 'all'}`);
  console.log(`  families        ${u.families.length ? u.families.join(',') : 'all'}`);
  console.log(`  priority        ${u.priority}`);
  console.log(`  results         ${u.results}`);
  console.log(`  webhook secret  ${u.webhook_secret_set ? '(set)' : '(not set)'}`);
  const h = u.health;
  const until = h.open_until === null ? '' : h.state === 'open' ? `, takes no requests until ${when(h.open_until)}` : '';
  console.log(`  health          ${h.state}${h.failures ? ` (${h.failures} failure${h.failures === 1 ? '' : 's'} in a row${until})` : ''}${h.reason ? `: ${h.reason}` : ''}`);
}

const settings = (command: Command) => command
  .option('--path-style <style>', 'official (/v1, API key or AK/SK), kling (/kling/v1, Bearer key) or endpoint (/v1/ai/{path}/kling, Bearer key)')
  .option('--api-key <key>', 'a Bearer API key')
  .option('--access-key <ak>', 'the access key of an AK/SK pair (with --secret-key)')
  .option('--secret-key <sk>', 'the secret key of an AK/SK pair')
  .option('--endpoint-path <MODEL=PATH,PATH>', 'the endpoint path per model, and a PATH alone for the other models (path style endpoint)', endpointPaths)
  .option('--concurrency <video=N,image=N,try-on=N>', "the account's concurrent slots per pack type; more wait in kiln", (value: string) => packCounts(value))
  .option('--models <m1,m2>', 'only these models (default: all)', list)
  .option('--families <f1,f2>', 'only these families, e.g. text2video,omni-video (default: all)', list)
  .option('--priority <n>', 'routing order: the highest priority that carries a task gets it (default 0)', priority)
  .option('--webhook-secret <whsec_secret>', "the upstream's Standard Webhooks secret")
  .option('--results <mode>', "archive (kiln keeps the outputs, default) or passthrough (the upstream's URLs)")
  .option('--json', 'print JSON');

export function registerUpstream(program: Command): void {
  const upstream = program.command('upstream').description('manage the upstream Kling accounts relay tenants\' tasks go to');

  settings(withDataDir(upstream.command('add <name>').description('add an upstream (its secrets are kept encrypted and never shown)')))
    .requiredOption('--base-url <url>', "the upstream's base URL, e.g. https://api-singapore.klingai.com")
    .action(async (name: string, options) => {
      const u = await onUpstreams(options.dataDir, (db, api, box) => api.addUpstream(db, box, { name, ...bodyOf(options) }));
      if (options.json) console.log(JSON.stringify(u));
      else console.log(`Upstream '${u.name}' added: ${u.base_url} (${u.path_style}), priority ${u.priority}.`);
    });

  withDataDir(upstream.command('list').description('list upstreams (no secrets)'))
    .option('--json', 'print JSON')
    .action(async (options) => {
      const rows = await onUpstreams(options.dataDir, (db, api) => api.listUpstreamViews(db));
      if (options.json) return console.log(JSON.stringify(rows));
      for (const u of rows) {
        const limits = Object.entries(u.concurrency).map(([k, v]) => `${k}=${v}`).join(',') || '-';
        console.log(`${u.name}\t${u.base_url}\t${u.path_style}\tpriority=${u.priority}\tconcurrency=${limits}\tmodels=${u.models.join(',') || 'all'}\tfamilies=${u.families.join(',') || 'all'}\tresults=${u.results}\thealth=${u.health.state}`);
      }
    });

  withDataDir(upstream.command('show <name>').description('an upstream: its settings, and whether each secret is set'))
    .option('--json', 'print JSON')
    .action(async (name: string, options) => {
      const u = await onUpstreams(options.dataDir, (db, api) => api.showUpstream(db, name));
      if (options.json) console.log(JSON.stringify(u));
      else print(u);
    });

  settings(withDataDir(upstream.command('set <name>').description('change an upstream: new tasks are routed by the change, tasks on it stay')))
    .option('--base-url <url>', "the upstream's base URL")
    .option('--no-webhook-secret', 'forget the webhook secret')
    .action(async (name: string, options) => {
      const body = { ...bodyOf(options), ...(options.webhookSecret === false ? { webhook_secret: null } : {}) };
      if (Object.keys(body).length === 0) throw new InvalidArgumentError('nothing to change: give --base-url, --api-key, --priority, --models, ... (kiln upstream set --help)');
      const u = await onUpstreams(options.dataDir, (db, api, box) => api.setUpstream(db, box, name, body));
      if (options.json) console.log(JSON.stringify(u));
      else print(u);
    });

  withDataDir(upstream.command('costs <name>').description("the upstream account's own resource packs, asked of its /account/costs"))
    .option('--days <n>', 'the period: the last n days (default 30)', (value: string) => {
      const days = Number(value);
      if (!Number.isInteger(days) || days < 1) throw new InvalidArgumentError('--days must be a whole number of days, at least 1');
      return days;
    })
    .option('--json', 'print JSON')
    .action(async (name: string, options) => {
      const now = Date.now();
      const query = { start_time: now - (options.days ?? 30) * 86_400_000, end_time: now };
      const answer = await onUpstreams(options.dataDir, (db, api, box) => api.upstreamCosts(db, box, name, query, now)) as {
        resource_pack_subscribe_infos?: Array<{ resource_pack_name: string; resource_pack_type: string; total_quantity: number; remaining_quantity: number; invalid_time: number; status: string }>;
      };
      if (options.json) return console.log(JSON.stringify(answer));
      const packs = answer.resource_pack_subscribe_infos ?? [];
      if (packs.length === 0) return console.log(`Upstream '${name}' reports no resource packs in the last ${options.days ?? 30} days.`);
      for (const p of packs) {
        console.log(`${p.resource_pack_name}\t${p.resource_pack_type}\t${p.remaining_quantity} of ${p.total_quantity} left\t${p.status}\tuntil ${when(p.invalid_time)}`);
      }
    });

  withDataDir(upstream.command('remove <name>').description('remove an upstream (refused while tasks are on it)'))
    .action(async (name: string, options) => {
      await onUpstreams(options.dataDir, (db, api) => api.dropUpstream(db, name));
      console.log(`Upstream '${name}' removed.`);
    });
}
