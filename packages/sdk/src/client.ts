// The client: credentials, provider and policies resolved once, one FamilyResource per family the contract
// defines, grouped as the contract groups them — `client.videos.omniVideo`, `client.images.generations` — and one
// method per synchronous endpoint in the same groups — `client.audio.tts`, `client.account.costs`. A family or
// action added to the contract appears here with no change to the SDK.

import { familyGroups, type AnyAction, type AnyFamily, type FamilyDefinition } from '@kiln/contract';
import { actionMethod, type ActionMethod } from './action-method.ts';
import { actionEntries } from './action-names.ts';
import type { ActionMethods } from './action-types.ts';
import { credentialsFrom, type TokenProvider } from './credentials.ts';
import { newExternalTaskId } from './external-id.ts';
import { FamilyResource, type ValidationMode } from './family-resource.ts';
import { DEFAULT_POLL, Poller, type PollPolicy } from './poller.ts';
import { resolveProvider, type Provider, type ResolvedProvider } from './providers.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
import { Transport, type ResponseInfo } from './transport.ts';
import { isLogLevel, makeLog, type Logger, type LogLevel } from './log.ts';
import { TasksResource } from './tasks.ts';
import { newStandardResources, type NewStandardResources } from './new-standard.ts';

export interface ClientOptions {
  /** `Authorization: Bearer <apiKey>`. Default: env KLING_API_KEY. */
  apiKey?: string;
  /** JWTs (HS256) signed with these. Default: env KLING_ACCESS_KEY and KLING_SECRET_KEY. */
  accessKey?: string;
  secretKey?: string;
  /** Lifetime of the JWTs signed from accessKey + secretKey (default 1800 s, as Kling's sample). */
  jwtTtlSeconds?: number;
  /** Your own token source; called before each request, with forceRefresh after a 1003/1004 answer. */
  token?: TokenProvider;
  /** 'kling' (Singapore, default), 'kling-beijing', 'kiln', or a reseller path style (see providers.ts). */
  provider?: Provider;
  /** Overrides the provider's host. Default: env KLING_BASE_URL. */
  baseUrl?: string;
  /** Check requests with the contract before sending: 'error' (default) throws, 'warn' reports and sends. */
  validation?: ValidationMode;
  onWarning?: (message: string) => void;
  /** Retries of reads (and of creates that never reached the server); default 2. */
  maxRetries?: number;
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
  /** Per request attempt; default 60 s. */
  timeoutMs?: number;
  /** Polling for wait/createAndWait; default every 1 s, backing off ×1.5 to 10 s. */
  poll?: Partial<PollPolicy>;
  /** Default timeout of wait/createAndWait; default 30 minutes. */
  waitTimeoutMs?: number;
  /** Makes the external_task_id of a create that has none (default `kiln-sdk-<uuid>`); false sends none. */
  externalTaskId?: false | (() => string);
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch, for signing JWTs; default Date.now. */
  clock?: () => number;
  /** Where defaults are read from; default `process.env` where it exists. */
  env?: Record<string, string | undefined>;
  /** What the SDK logs: 'debug' every exchange, 'info' retries, 'warn' (default) warnings. Default: env KLING_LOG. */
  logLevel?: LogLevel;
  /** Where log lines go (console by default): any object with error, warn, info and debug methods. */
  logger?: Logger;
  /** Called with every answer received — HTTP status, headers, request_id, time — by any call of this client. */
  onResponse?: (response: ResponseInfo) => void;
}

type Groups = typeof familyGroups;

/** `client.<group>.<family>` for every family of the contract. */
export type FamilyResources = {
  readonly [G in keyof Groups]: {
    readonly [K in keyof Groups[G]]: Groups[G][K] extends FamilyDefinition<any, any, any, any> ? FamilyResource<Groups[G][K]> : never;
  };
};

function defaultEnv(): Record<string, string | undefined> {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env ?? {};
}

/** The families and the actions of each group: `client.videos.omniVideo`, `client.videos.identifyFace`. */
export type ClientGroups = {
  readonly [G in keyof Groups | keyof ActionMethods]: (G extends keyof FamilyResources ? FamilyResources[G] : unknown) &
    (G extends keyof ActionMethods ? ActionMethods[G] : unknown);
};

export interface Kling extends ClientGroups {}

export class Kling {
  readonly provider: ResolvedProvider;
  readonly transport: Transport;
  /** Tasks of both standards through the new standard's queries: get(ids), list(), wait(). */
  readonly tasks: TasksResource;
  /** The new standard's creates (model in the path): `newStandard.textToVideo.create('kling-3.0-turbo', {prompt})`. */
  readonly newStandard: NewStandardResources;
  private readonly byName = new Map<string, FamilyResource<AnyFamily>>();
  private readonly actionsByName = new Map<string, ActionMethod<any>>();

  constructor(options: ClientOptions = {}) {
    const env = options.env ?? defaultEnv();
    const explicitCredentials = options.token || options.apiKey || options.accessKey || options.secretKey;
    const credentials = credentialsFrom({
      ...(explicitCredentials
        ? { apiKey: options.apiKey, accessKey: options.accessKey, secretKey: options.secretKey, token: options.token }
        : { apiKey: env.KLING_API_KEY, accessKey: env.KLING_ACCESS_KEY, secretKey: env.KLING_SECRET_KEY }),
      jwtTtlSeconds: options.jwtTtlSeconds,
      clock: options.clock,
    });
    this.provider = resolveProvider(options.provider, options.baseUrl ?? (env.KLING_BASE_URL || undefined));
    const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    const level = options.logLevel ?? (env.KLING_LOG || 'warn');
    if (!isLogLevel(level)) throw new TypeError(`KLING_LOG must be off, error, warn, info or debug (got '${level}')`);
    const log = makeLog(level, options.logger ?? console);
    this.transport = new Transport({
      baseUrl: this.provider.baseUrl,
      credentials,
      retry: { ...DEFAULT_RETRY, ...options.retry, maxRetries: options.maxRetries ?? DEFAULT_RETRY.maxRetries },
      timeoutMs: options.timeoutMs ?? 60_000,
      fetch: fetchFn,
      headers: options.headers ?? {},
      log,
      onResponse: options.onResponse,
    });
    const poll = { ...DEFAULT_POLL, ...options.poll };
    const context = {
      transport: this.transport,
      poller: new Poller(poll),
      poll,
      provider: this.provider,
      validation: options.validation ?? 'error',
      warn: options.onWarning ?? ((message: string) => log.warn(message)),
      externalTaskId: options.externalTaskId ?? newExternalTaskId,
      waitTimeoutMs: options.waitTimeoutMs ?? 30 * 60_000,
    };
    this.tasks = new TasksResource(context);
    this.newStandard = newStandardResources(context, this.tasks);
    const groups: Record<string, Record<string, unknown>> = {};
    for (const [group, members] of Object.entries(familyGroups)) {
      groups[group] = {};
      for (const [key, family] of Object.entries(members as Record<string, AnyFamily>)) {
        const resource = new FamilyResource(family, context);
        groups[group][key] = resource;
        this.byName.set(family.name, resource);
      }
    }
    for (const { action, group, key } of actionEntries()) {
      const method = actionMethod(action, context);
      (groups[group] ??= {})[key] = method;
      this.actionsByName.set(action.name, method);
    }
    for (const [group, members] of Object.entries(groups)) {
      Object.defineProperty(this, group, { value: Object.freeze(members), enumerable: true });
    }
  }

  /** A family's resource by its name (`omni-video`) or by its definition; undefined when the contract has none. */
  family(nameOrDefinition: string | AnyFamily): FamilyResource<AnyFamily> | undefined {
    return this.byName.get(typeof nameOrDefinition === 'string' ? nameOrDefinition : nameOrDefinition.name);
  }

  /** Every family's resource, in the contract's order. */
  families(): FamilyResource<AnyFamily>[] {
    return [...this.byName.values()];
  }

  /** A synchronous endpoint's method by its action name (`tts`, `account/costs`) or definition; undefined when none. */
  action(nameOrDefinition: string | AnyAction): ActionMethod<any> | undefined {
    return this.actionsByName.get(typeof nameOrDefinition === 'string' ? nameOrDefinition : nameOrDefinition.name);
  }

  /** Every action's method, in the contract's order. */
  actions(): ActionMethod<any>[] {
    return [...this.actionsByName.values()];
  }
}
