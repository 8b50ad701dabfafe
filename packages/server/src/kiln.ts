// The composition root: opens the store, builds the app, starts the workers. Used by `npm start`, `kiln serve`,
// the tests and the benchmark.

import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Authenticator } from './auth/authenticate.ts';
import { deliverCallback } from './callbacks/callback-jobs.ts';
import { attemptLog } from './callbacks/attempt-log.ts';
import { ConsoleAuth } from './http/console-auth.ts';
import { registerConsole } from './http/console-routes.ts';
import { DEFAULT_SERVER_TIMEOUTS, type KilnConfig } from './config.ts';
import { SimulatorEngine } from './engines/simulator/simulator-engine.ts';
import { EngineRegistry } from './engines/registry.ts';
import { RelayEngine } from './engines/relay/relay-engine.ts';
import { callbackToken, RELAY_CALLBACK_PATH } from './engines/relay/callback-tokens.ts';
import { registerRelayCallbacks } from './engines/relay/callback-routes.ts';
import { readRelayState } from './engines/relay/relay-state.ts';
import { relayPoolState, relayPoolUse } from './store/relay-pool.ts';
import { UpstreamRegistry } from './engines/relay/upstream-registry.ts';
import { healthColumns, saveEnvUpstream, upstreamConfigs } from './accounts/upstream-admin.ts';
import { BREAKER_DEFAULTS } from './engines/relay/breaker.ts';
import { updateUpstream } from './store/upstreams.ts';
import { openSecretBox } from './store/secret-box.ts';
import { buildApp } from './http/build-app.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { forwardedBase } from './http/forwarded.ts';
import { RetentionSweeper } from './tasks/retention-sweep.ts';
import { RESULT_LIFETIME_DAYS } from '@kiln/contract';
import { fetchBuffer, fetchToFile, INPUT_FETCH_LIMITS, OUTPUT_FETCH_LIMITS } from './net/http-get.ts';
import { WorkerPool } from './queue/worker-pool.ts';
import { queueStats, releaseLeasesOfDeadOwners } from './store/jobs.ts';
import { signingSecrets } from './store/webhook-secrets.ts';
import { lockDataDir } from './store/data-dir-lock.ts';
import { holdWorkerNumber } from './tasks/worker-number.ts';
import type { Db } from './store/open.ts';
import { findOutput } from './store/outputs.ts';
import { openStore } from './store/open-store.ts';
import type { Signal } from './store/signals.ts';
import { generatedAdminToken, mediaSigningSecret } from './store/settings.ts';
import { registerSimulatorSettings } from './engines/simulator/settings-routes.ts';
import { upstreamOwners } from './engines/relay/owners.ts';
import { RelayedActions, withRelayedActions } from './engines/relay/relay-actions.ts';
import { keepRelayedFile, registerRelayedAudio } from './actions/relayed-media.ts';
import { registerSimulatorControls } from './engines/simulator/control-routes.ts';
import { ensureDefaultTenant, relayDefaultTenant } from './accounts/default-tenant.ts';
import { accountCosts } from './actions/account-costs.ts';
import { actionNamed, chargeCall, ensureUnits, removeMediaDir, type ActionDeps } from './actions/deps.ts';
import { checkReferences } from './tasks/references.ts';
import { newTaskId } from './tasks/ids.ts';
import { deleteElement, deleteVoice } from './actions/delete-assets.ts';
import { identifyFace } from './actions/identify-face.ts';
import { imageRecognize } from './actions/image-recognize.ts';
import { initSelection } from './actions/multi-elements-init.ts';
import { addSelection, clearSelection, deleteSelection, previewSelection } from './actions/multi-elements-selection.ts';
import { advancedPresetsElements, presetsVoices } from './actions/presets.ts';
import { createLegacyElement, legacyPresetsElements, listLegacyElements } from './actions/legacy-elements.ts';
import { balanceDeductions, packageDeductions } from './actions/billing-details.ts';
import { tts } from './actions/tts.ts';
import type { IssuedCredentials } from './store/tenants.ts';
import { LocalStorage } from './storage/local-storage.ts';
import { cachedUsage } from './storage/cached-usage.ts';
import { openMediaStorage } from './storage/media-storage.ts';
import { TaskRunner } from './tasks/task-runner.ts';
import { MeteredTaskService } from './metrics/metered-task-service.ts';
import { KilnMetrics } from './metrics/kiln-metrics.ts';
import { createLogger } from './metrics/logger.ts';
import { taskObserver } from './metrics/task-observer.ts';
import { countedDelivery } from './metrics/counted-callbacks.ts';
import { queueProbe, storageProbe, storeProbe } from './http/readiness.ts';
import { noteTenant } from './http/request-observer.ts';
import { TaskStore } from './store/tasks.ts';

export interface Kiln {
  app: FastifyInstance;
  db: Db;
  config: KilnConfig;
  /** The base URL the server listens on. */
  url: string;
  /** Set when this start created the default tenant: its credentials, shown once. */
  createdDefaultTenant?: IssuedCredentials;
  /** The token of the operator endpoints (/admin/...). */
  adminToken: string;
  /** Whether this start made the admin token (KILN_ADMIN_TOKEN unset and none stored yet): it is shown once. */
  adminTokenCreated: boolean;
  /** What this start did to the default tenant's credentials (a changed KILN_API_KEY …), in words, no secrets. */
  credentialNotes: string[];
  close(): Promise<void>;
}

// Pools renew their running jobs' leases every third of these: a lease runs out only when its process is gone.
const RENDER_LEASE_MS = 2 * 60_000;
const CALLBACK_LEASE_MS = 2 * 60_000;
const SHUTDOWN_GRACE_MS = 2_000;

/**
 * How workers are shared. Render jobs lend their slot while they wait for input bytes; up to two downloads per
 * render slot may wait at once (few, as each may hold up to an input's size in memory: 200 MB for a video). One
 * tenant may hold every render slot but only half of the waiting downloads, and at most three quarters of the
 * callback senders, so another tenant's work always finds a worker free or next in line however slow the first
 * tenant's inputs or receivers are.
 */
export function poolShares(renderConcurrency: number, callbackConcurrency: number) {
  const waitingSlots = 2 * renderConcurrency;
  return {
    render: { waitingSlots, tenantCap: renderConcurrency + waitingSlots / 2 },
    callback: { tenantCap: Math.max(1, callbackConcurrency - Math.ceil(callbackConcurrency / 4)) },
  };
}

export async function startKiln(config: KilnConfig): Promise<Kiln> {
  // One process per data directory on the embedded store (store/data-dir-lock.ts says why): a second start is
  // refused before it opens anything; the lock is held until close. On PostgreSQL any number of processes share the
  // store, and the data directory holds only media made on the way (renders before upload), named by task.
  const dirLock = config.databaseUrl ? undefined : lockDataDir(config.dataDir);
  try {
    const kiln = await startLocked(config);
    const close = kiln.close;
    return { ...kiln, close: () => close().finally(() => dirLock?.release()) };
  } catch (error) {
    dirLock?.release();
    throw error;
  }
}

async function startLocked(config: KilnConfig): Promise<Kiln> {
  // Signals from every process sharing the store (this one included): due jobs wake this process's workers, changed
  // simulator rules drop its cached copy.
  let onSignal = (_signal: Signal) => {};
  const opened = await openStore(config, (signal) => onSignal(signal));
  const { db, signals } = opened;
  // Task ids carry a worker number the database assigns, so processes sharing a store never make the same id.
  const workerNumber = await holdWorkerNumber(db, (error) => console.error('kiln: worker number heartbeat failed', error));
  const mediaSecret = await mediaSigningSecret(db);
  const storage = new LocalStorage(path.join(config.dataDir, 'media'), mediaSecret);
  // Renders are made under the data directory; with KILN_STORAGE_URL they are also uploaded and served from the bucket.
  const media = openMediaStorage(storage, config.storage, mediaSecret);
  let baseUrl = config.publicUrl ?? `http://127.0.0.1:${config.port}`;
  // Behind a trusted proxy without KILN_PUBLIC_URL, a request is answered with URLs on the base it came in through;
  // work done outside a request (callbacks) uses the configured base.
  const urls = { storage, publicUrl: () => forwardedBase() ?? baseUrl };

  const pools: WorkerPool[] = [];
  const wake = () => signals.send('jobs');
  const engine = new SimulatorEngine(db, config.timing);
  onSignal = (signal) => {
    if (signal === 'jobs') pools.forEach((p) => p.wake());
    else engine.rulesChanged();
  };
  // With a public URL, upstream tasks call back on kiln's per-task hook (a hint to ask now); without, polling alone.
  const relayCallbackUrl = config.publicUrl
    ? (taskId: string) => `${config.publicUrl}${RELAY_CALLBACK_PATH}/${callbackToken(mediaSecret, taskId)}`
    : undefined;
  // Upstream secrets are sealed with the master key; the quick start's upstream (KILN_UPSTREAM_URL ...) is kept in
  // the registry as `default`, beside those added with `kiln upstream add`.
  const secretBox = openSecretBox(config.dataDir, config.masterKey);
  if (config.upstream) await saveEnvUpstream(db, secretBox, config.upstream);
  const upstreams = new UpstreamRegistry(() => upstreamConfigs(db, secretBox));
  // A tenant's new tasks go to the engine it names (the simulator unless set to relay, which routes each to an
  // upstream of the registry); a task keeps the engine it was created with (its `engine` column), so tasks made
  // before a tenant switched still finish.
  // One breaker per upstream account, fed by its tasks and by the synchronous calls relayed to it alike.
  const relayBreaker = { ...BREAKER_DEFAULTS, ...config.relayBreaker };
  const engines = new EngineRegistry([engine, new RelayEngine(upstreams, {
    callbackUrl: relayCallbackUrl, pollDelayMs: config.relayPollDelayMs, giveUpAfterMs: config.relayGiveUpAfterMs,
    poolState: (question) => relayPoolState(db, question), poolLoad: async (upstream, pack) => {
      const { held, waiting } = await relayPoolUse(db, upstream, pack);
      return held + waiting;
    },
    saveHealth: (upstream, health) => updateUpstream(db, upstream, healthColumns(health)),
    ownerOf: upstreamOwners(db), storedOutput: (tenantId, id) => findOutput(db, tenantId, 'video', id),
    saveLowered: (upstream, lowered) => updateUpstream(db, upstream, { lowered_limits_json: JSON.stringify(lowered) }),
    wakeTask: async (taskId) => {
      await store.wakePending(taskId);
      wake();
    },
    breaker: relayBreaker, listIntervalMs: config.relayListIntervalMs,
  })]);
  const store = new TaskStore(db);
  const logger = createLogger(config.logLevel, config.logDestination, config.logFormat);
  const metrics = new KilnMetrics(() => queueStats(db));
  const tasks = new MeteredTaskService({ metrics, log: logger }, store, engines, wake, config.allowPrivateUrls, media.storage);
  // Inputs named by URL (task inputs and the synchronous endpoints' videos and images), read under one guard.
  const fetchInput = (url: string, maxBytes: number) =>
    fetchBuffer(url, { maxBytes, timeoutMs: 60_000, allowPrivate: config.allowPrivateUrls, ...INPUT_FETCH_LIMITS });
  const fetchOutput = (url: string, file: string, maxBytes: number) =>
    fetchToFile(url, file, { maxBytes, timeoutMs: 60_000, allowPrivate: config.allowPrivateUrls, ...OUTPUT_FETCH_LIMITS });
  const authenticator = new Authenticator(db);
  // The synchronous endpoints read clients' URLs (videos, images) while the request waits, under the same guard.
  const actionDeps: ActionDeps = {
    db, tasks: store, urls, storage: media.storage, fetchInput,
  };
  // A relay tenant's TTS, identify-face and selection calls are carried out upstream (relay-actions.ts).
  const relayedActions = new RelayedActions({
    db, upstreams, ownerOf: upstreamOwners(db), newId: newTaskId,
    checkReferences: async (tenant, action, input) => void await checkReferences(store, tenant.id, action, input, { relay: true }),
    keepFile: (folder, name, url, now) => keepRelayedFile({ ...actionDeps, fetchOutput }, folder, name, url, now),
    discardFolder: (folder, names) => removeMediaDir(actionDeps, folder, names),
    registerAudio: registerRelayedAudio,
    ensureUnits: (tenant, units) => ensureUnits(actionDeps, tenant, units),
    charge: (tenant, units, call, alongside) => chargeCall(actionDeps, tenant, units, alongside, call),
    saveHealth: (upstream, health) => updateUpstream(db, upstream, healthColumns(health)), breaker: relayBreaker,
  });
  const generated = config.adminToken ? undefined : await generatedAdminToken(db);
  const adminToken = config.adminToken ?? generated!.value;
  const consoleAuth = new ConsoleAuth(db, adminToken, (header) => authenticator.authenticate(header));
  const app = buildApp({
    tasks, urls, storage: media.storage, mediaRedirectSeconds: config.storage?.redirectSeconds,
    corsOrigins: config.corsOrigins,
    authenticate: (header) => authenticator.authenticate(header),
    keptTenant: (header) => authenticator.keptTenant(header),
    sessionTenant: (request) => consoleAuth.sessionTenant(request),
    // Asked of the task's own engine: only the simulator makes faulty media.
    mediaFault: async (taskId) => {
      const task = await store.byId(taskId);
      return task ? engines.mediaFault(task) : undefined;
    },
    actionHandlers: withRelayedActions({
      'account/costs': (tenant, query) => accountCosts(db, tenant, query),
      'multi-elements/init-selection': (tenant, body) => initSelection(actionDeps, tenant, body),
      'multi-elements/add-selection': (tenant, body) => addSelection(actionDeps, tenant, body),
      'multi-elements/delete-selection': (tenant, body) => deleteSelection(actionDeps, tenant, body),
      'multi-elements/clear-selection': (tenant, body) => clearSelection(actionDeps, tenant, body),
      'multi-elements/preview-selection': (tenant, body) => previewSelection(actionDeps, tenant, body),
      'identify-face': (tenant, body) => identifyFace(actionDeps, tenant, body),
      'image-recognize': (tenant, body) => imageRecognize(actionDeps, tenant, body),
      tts: (tenant, body) => tts(actionDeps, tenant, body),
      'delete-voices': (tenant, body) => deleteVoice(actionDeps, tenant, body),
      'delete-elements': (tenant, body) => deleteElement(actionDeps, tenant, body),
      'delete-advanced-elements': (tenant, body) => deleteElement(actionDeps, tenant, body),
      'presets-voices': (_tenant, query) => presetsVoices(actionDeps, query),
      'advanced-presets-elements': (_tenant, query) => advancedPresetsElements(actionDeps, query),
      'custom-elements': (tenant, body) => createLegacyElement(actionDeps, tenant, body),
      'list-custom-elements': (tenant, query) => listLegacyElements(actionDeps, tenant, query),
      'presets-elements': (_tenant, query) => legacyPresetsElements(actionDeps, query),
      'account/billing/package': (tenant, body) => packageDeductions(actionDeps, tenant, body),
      'account/billing/balance': (tenant, body) => balanceDeductions(actionDeps, tenant, body),
    }, relayedActions, actionNamed),
    bodyLimitBytes: config.bodyLimitBytes,
    timeouts: config.timeouts ?? DEFAULT_SERVER_TIMEOUTS,
    trustProxy: config.trustProxy,
    forwardedUrls: Boolean(config.trustProxy) && !config.publicUrl,
    serveApi: config.role !== 'worker',
    logger,
    operations: {
      metrics,
      // With a bucket, renders are still made under the data directory, and the bucket must take their uploads.
      probes: [storeProbe(db), queueProbe(db), storageProbe(storage.root), ...(config.storage ? [{ name: 'bucket', check: () => media.storage.ready() }] : [])],
      metricsTokens: [adminToken, ...(config.metricsToken ? [config.metricsToken] : [])],
    },
  });
  // The simulator controls and settings are part of the API a client calls (a worker-only process serves none of it).
  const simulatorTenant = async (request: FastifyRequest) => {
    const tenant = await consoleAuth.tenantOf(request);
    noteTenant(request, tenant.id);
    return tenant;
  };
  if (config.role !== 'worker') {
    registerSimulatorControls(app, {
      db, store, tasks, urls, wake, adminToken,
      onRulesChanged: () => signals.send('rules'),
      authorizeOperator: (request) => consoleAuth.requireOperator(request),
      authenticate: simulatorTenant,
    });
    registerSimulatorSettings(app, { db, serverTiming: config.timing, authenticate: simulatorTenant });
  }

  if (config.role !== 'worker') registerRelayCallbacks(app, {
    secret: mediaSecret,
    // Only an unfinished relayed task is woken: a callback replayed after the end makes no work.
    wakeTask: async (taskId) => {
      const task = await store.byId(taskId);
      if (!task || task.engine !== 'relay' || task.status === 'succeed' || task.status === 'failed') return;
      await store.wakeTask(taskId);
      wake();
    },
    webhookSecretOf: async (taskId) => {
      const task = await store.byId(taskId);
      if (!task || task.engine !== 'relay') return undefined;
      return (await upstreams.byName(readRelayState(task.engine_json).upstream))?.webhookSecret;
    },
  });
  // The console's operator sessions may use the operator API too (console-auth.ts).
  if (config.role !== 'worker') registerAdminRoutes(app, {
    db, adminToken, authorize: (request) => consoleAuth.requireOperator(request), secretBox, onUpstreamsChanged: () => upstreams.refresh(),
  });
  const storageUsage = cachedUsage(media.storage);
  const localUsage = cachedUsage(storage);
  if (config.role !== 'worker') registerConsole(app, {
    db, urls, wake, auth: consoleAuth, callbacks: config.callbacks, allowPrivateUrls: config.allowPrivateUrls,
    upstreams: () => upstreams.all(),
    storageUsage: async () => (config.storage
      ? { backend: 's3', ...(await storageUsage()), local: await localUsage() }
      : { backend: 'local', ...(await storageUsage()) }),
  });

  if (config.workers) {
    // Jobs leased by a killed process of this machine run again now; other owners' leases run out unless renewed.
    await releaseLeasesOfDeadOwners(db);
    const runner = new TaskRunner({
      store, engines, urls, storage: media.storage, onEnqueued: wake, log: app.log, publishOutputs: media.publish, observer: taskObserver(metrics, app.log),
      fetchInput,
      fetchOutput,
    });
    const onError = (error: unknown, _job: unknown, suppressed: number) =>
      app.log.error({ err: error, ...(suppressed ? { suppressed } : {}) }, 'job failed unexpectedly');
    // Read when each attempt is sent: a rotated secret signs retries at once, beside the old one in its grace.
    const secretOf = (tenantId: string) => signingSecrets(db, tenantId);
    const shares = poolShares(config.renderConcurrency, config.callbackConcurrency);
    const onRan = (kind: string, seconds: number) => metrics.jobRan(kind, seconds);
    pools.push(
      new WorkerPool(db, { kind: 'advance', concurrency: config.renderConcurrency, ...shares.render, leaseMs: RENDER_LEASE_MS, onError, onRan },
        (job, slot) => runner.advance(job, slot)),
      new WorkerPool(db, { kind: 'callback', concurrency: config.callbackConcurrency, ...shares.callback, leaseMs: CALLBACK_LEASE_MS, onError, onRan },
        (job) => countedDelivery(metrics, () => deliverCallback(job, config.callbacks, config.allowPrivateUrls, secretOf, attemptLog(db)))),
    );
  }

  const address = await app.listen({ port: config.port, host: config.host });
  // Made once the server listens: a start that cannot listen (the port is taken) makes no credentials it could not
  // show, so the next start makes and shows them.
  const defaultTenant = await ensureDefaultTenant(db, config.defaultTenant);
  // The quick start: an upstream in the environment makes the default tenant relay through it.
  if (config.upstream) await relayDefaultTenant(db);
  const port = new URL(address).port;
  if (!config.publicUrl) baseUrl = `http://127.0.0.1:${port}`;
  pools.forEach((p) => p.start());
  // Results and inputs past the retention period are purged by the processes that run workers (retention-sweep.ts
  // says why several at once are safe).
  const retention = new RetentionSweeper(db, media.storage, { retentionDays: config.retentionDays ?? RESULT_LIFETIME_DAYS, log: app.log });
  if (config.workers) retention.start();

  return {
    app, db, config, url: `http://127.0.0.1:${port}`, adminToken,
    createdDefaultTenant: defaultTenant.created, adminTokenCreated: generated?.created ?? false, credentialNotes: defaultTenant.notes,
    async close() {
      // Requests in flight get a moment to finish; connections still open after it (a client keeping one alive
      // after a download would hold shutdown for the 72 s keep-alive timeout) are closed.
      const deadline = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await app.close();
      clearTimeout(deadline);
      await Promise.all(pools.map((p) => p.stop()));
      await retention.stop();
      await workerNumber.stop();
      await opened.close();
      media.close();
    },
  };
}
