// Which server and which credentials a command uses. Credentials come from flags, else the environment
// (KLING_API_KEY, or KLING_ACCESS_KEY + KLING_SECRET_KEY), else the config file; the base URL from --base-url,
// else KLING_BASE_URL, else the config file, else the provider's (kiln on http://127.0.0.1:8080 by default).
// Secrets are only ever sent in the Authorization header, never printed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { Kling, type ClientOptions, type Provider } from '@kiln/sdk';

export interface ConnectionFlags {
  apiKey?: string;
  accessKey?: string;
  secretKey?: string;
  baseUrl?: string;
  provider?: string;
  endpoint?: string;
  config?: string;
}

interface ConfigFile {
  api_key?: string;
  access_key?: string;
  secret_key?: string;
  base_url?: string;
  provider?: string;
  endpoint?: string;
}

export const PROVIDERS = ['kiln', 'kling', 'kling-beijing', 'kling-prefix', 'ai-endpoint'] as const;

export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--api-key <key>', 'API key (env KLING_API_KEY)'))
    .addOption(new Option('--access-key <key>', 'access key, with --secret-key: signs JWTs (env KLING_ACCESS_KEY)'))
    .addOption(new Option('--secret-key <key>', 'secret key (env KLING_SECRET_KEY)'))
    .addOption(new Option('--base-url <url>', 'API base URL (env KLING_BASE_URL; default http://127.0.0.1:8080)'))
    .addOption(new Option('--provider <name>', 'path style and default host').choices(PROVIDERS))
    .addOption(new Option('--endpoint <name>', 'the {endpoint} of an ai-endpoint reseller (/v1/ai/{endpoint}/kling)'))
    .addOption(new Option('--config <file>', 'config file (env KILN_CONFIG; default ~/.config/kiln/config.json)'));
}

export function configPath(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): string {
  if (flags.config) return path.resolve(flags.config);
  if (env.KILN_CONFIG) return path.resolve(env.KILN_CONFIG);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'kiln', 'config.json');
}

function readConfig(file: string, explicit: boolean): ConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (explicit) throw new InvalidArgumentError(`cannot read config file ${file}: ${(error as Error).message}`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError(`config file ${file} is not valid JSON`);
  }
  if (!parsed || typeof parsed !== 'object') throw new InvalidArgumentError(`config file ${file} must hold a JSON object`);
  const config = parsed as ConfigFile;
  if ((config.api_key || config.secret_key) && process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
    process.stderr.write(`kiln: warning: ${file} holds secrets and is readable by others; chmod 600 it\n`);
  }
  return config;
}

function providerOf(name: string | undefined, endpoint: string | undefined): Provider {
  switch (name ?? 'kiln') {
    case 'kiln': return 'kiln';
    case 'kling': return 'kling';
    case 'kling-beijing': return 'kling-beijing';
    case 'kling-prefix': return { kind: 'kling-prefix' };
    case 'ai-endpoint':
      if (!endpoint) throw new InvalidArgumentError('--provider ai-endpoint needs --endpoint <name>');
      return { kind: 'ai-endpoint', endpoint };
    default: throw new InvalidArgumentError(`unknown provider '${name}'; one of ${PROVIDERS.join(', ')}`);
  }
}

/** The client options a command's flags, the environment and the config file add up to. */
export function clientOptions(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): ClientOptions {
  const file = configPath(flags, env);
  const config = readConfig(file, Boolean(flags.config || env.KILN_CONFIG));
  let creds: Pick<ClientOptions, 'apiKey' | 'accessKey' | 'secretKey'>;
  if (flags.apiKey || flags.accessKey || flags.secretKey) {
    creds = { apiKey: flags.apiKey, accessKey: flags.accessKey, secretKey: flags.secretKey };
  } else if (env.KLING_API_KEY || env.KLING_ACCESS_KEY || env.KLING_SECRET_KEY) {
    creds = { apiKey: env.KLING_API_KEY, accessKey: env.KLING_ACCESS_KEY, secretKey: env.KLING_SECRET_KEY };
  } else {
    creds = { apiKey: config.api_key, accessKey: config.access_key, secretKey: config.secret_key };
  }
  if (!creds.apiKey && !(creds.accessKey && creds.secretKey)) {
    throw new InvalidArgumentError(
      'no credentials: use --api-key (or --access-key and --secret-key), set KLING_API_KEY (or KLING_ACCESS_KEY and ' +
        `KLING_SECRET_KEY), or put api_key in ${file}`,
    );
  }
  return {
    ...(creds.apiKey ? { apiKey: creds.apiKey } : { accessKey: creds.accessKey, secretKey: creds.secretKey }),
    provider: providerOf(flags.provider ?? config.provider, flags.endpoint ?? config.endpoint),
    baseUrl: flags.baseUrl || env.KLING_BASE_URL || config.base_url || undefined,
    env: {},
  };
}

export function makeClient(flags: ConnectionFlags, extra: Partial<ClientOptions> = {}): Kling {
  try {
    return new Kling({ ...clientOptions(flags), ...extra });
  } catch (error) {
    if (error instanceof TypeError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}
